/**
 * Homes recently found complete (home and Maildir present, real directories, the user's own): a
 * hand-off skips the dozen `lstat`/`open` calls of `ensureUserHome` for a user whose home was checked
 * less than `ttlMs` ago. Dovecot's reused process then opens the Maildir as the user, so what could
 * change meanwhile (the user replacing a folder by a link) only leads where the user may go anyway;
 * a home removed by an administrator is recreated at the first login after the entry expires.
 * Bounded: the oldest entries go first.
 */

/** Default time a checked home is trusted, ms. */
export const CHECKED_HOME_TTL_MS = 30_000;

/** Most homes remembered. */
const MAX_ENTRIES = 10_000;

/** See the file comment. */
export class CheckedHomes {
  private readonly checked = new Map<string, number>();

  constructor(
    private readonly ttlMs = CHECKED_HOME_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `check` unless the same home, Maildir and owner passed it within the TTL. */
  ensure(home: string, maildir: string | undefined, uid: number, gid: number, check: () => unknown): void {
    const key = `${uid}:${gid}:${home}\u0000${maildir ?? ''}`;
    const at = this.checked.get(key);
    const now = this.now();
    if (at !== undefined && now - at < this.ttlMs) return;
    check(); // throws on a refusal: nothing is remembered then
    this.checked.delete(key);
    this.checked.set(key, now);
    if (this.checked.size > MAX_ENTRIES) this.checked.delete(this.checked.keys().next().value!);
  }
}
