/** A connection URL fit for messages and logs: the password, if any, replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    // Not a URL: it cannot be parsed for a password, so show only its scheme-like start.
    return url.replace(/\/\/([^/@]*)@/, '//***@');
  }
}
