/** Decoding helpers shared by the SASL mechanisms and the protocol framing. */

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 strictly; undefined for invalid sequences. */
export function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** What a client's SASL response line was. */
export type SaslResponseLine =
  | { readonly kind: 'data'; readonly data: Buffer }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'bad-base64' };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Strict base64 (RFC 4648 §4, padding required): Node's decoder silently skips junk, which would let
 * a broken client authenticate with garbage. Undefined when not valid.
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

/**
 * Parses one client response line of a SASL exchange (IMAP RFC 9051 §6.2.2, POP3 RFC 5034 §4): `*`
 * cancels, anything else must be base64 (empty line = empty response).
 */
export function parseSaslResponseLine(line: string): SaslResponseLine {
  if (line === '*') return { kind: 'cancel' };
  const data = decodeBase64Strict(line);
  return data ? { kind: 'data', data } : { kind: 'bad-base64' };
}
