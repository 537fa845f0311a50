/**
 * `tls_sni_certs` entries and the choice of a certificate by the server name a client sends (SNI,
 * RFC 6066 §3). One place for both, shared by STARTTLS (login-common's TlsContextProvider) and
 * implicit TLS (the forkers' `TlsMaterial`), so the two pick the same certificate.
 */
import { ConfigError } from '../errors.js';

/** One certificate for the names it serves. */
export interface SniCertificate {
  /** Server name in lower case, or `*.example.org` for one label of wildcard. */
  readonly name: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** Parses one `tls_sni_certs` entry `name:certfile:keyfile`; ConfigError naming tls_sni_certs otherwise. */
export function parseSniEntry(entry: string): SniCertificate {
  const parts = entry.split(':');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) {
    throw new ConfigError(`bad tls_sni_certs entry "${entry}": expected name:certfile:keyfile`, 'tls_sni_certs');
  }
  return { name: parts[0]!.toLowerCase(), certFile: parts[1]!, keyFile: parts[2]! };
}

/**
 * The entry for a server name: the exact name first, then a `*.` wildcard one label deep
 * (`*.example.org` serves `a.example.org`, neither `example.org` nor `a.b.example.org`).
 * Undefined when nothing matches or no name was sent: the caller serves its default certificate.
 * Names compare without case (RFC 4343); the keys of `byName` are lower case.
 */
export function pickByServerName<T>(byName: ReadonlyMap<string, T>, servername: string | undefined): T | undefined {
  if (!servername) return undefined;
  const name = servername.toLowerCase();
  const exact = byName.get(name);
  if (exact !== undefined) return exact;
  const dot = name.indexOf('.');
  return dot > 0 ? byName.get(`*${name.slice(dot)}`) : undefined;
}
