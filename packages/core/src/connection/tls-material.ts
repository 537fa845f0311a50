/**
 * TLS material for forkers that terminate TLS themselves (implicit TLS, RFC 8314 §3.3, and STARTTLS
 * offered by the forker). The settings are login-common's (`tls_cert`, `tls_key`, `tls_sni_certs`,
 * `tls_ca`, `tls_min_version`, `tls_request_client_cert`), read here by key through a lookup function, because
 * forkers do not import login-common. The result is plain JSON so that a privileged process can read
 * the files (keys are usually readable by root only) and send the texts to unprivileged workers.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { ConfigError } from '../errors.js';
import { splitList } from '../options.js';
import type { TlsInfo } from '../contracts/connection.js';
import { parseSniEntry, pickByServerName } from './sni-certificates.js';

/** PEM texts of one `tls_sni_certs` entry. */
export interface SniMaterial {
  /** Lower-case server name, or `*.example.org`. */
  readonly name: string;
  readonly cert: string;
  readonly key: string;
}

/** PEM texts and settings, plain JSON. */
export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  readonly ca?: string;
  readonly minVersion: 'TLSv1.2' | 'TLSv1.3';
  /** Ask for a client certificate (verified against `ca`, never required). */
  readonly requestCert: boolean;
  /** Per-name certificates chosen by SNI (RFC 6066 §3); absent or empty: the default one for every name. */
  readonly sni?: readonly SniMaterial[];
}

/** Looks a raw option value up by key (`(k) => options.rawValue(k)`). */
export type OptionLookup = (key: string) => string | undefined;

/**
 * Reads the files named by the options. Undefined when tls_cert is empty and `requiredBy` is
 * undefined; otherwise a ConfigError naming the key for: TLS required but not configured (the message
 * names `requiredBy`), a key without a certificate, an unreadable file, a bad version, a bad
 * `tls_sni_certs` entry, or a key that does not match its certificate (found here, at startup, not at
 * the first client).
 */
export function readTlsMaterial(lookup: OptionLookup, requiredBy?: string): TlsMaterial | undefined {
  const certPath = (lookup('tls_cert') ?? '').trim();
  const keyPath = (lookup('tls_key') ?? '').trim();
  const sniEntries = splitList(lookup('tls_sni_certs') ?? '').map(parseSniEntry);
  if (!certPath) {
    if (sniEntries.length > 0) throw new ConfigError('tls_sni_certs needs a default tls_cert', 'tls_cert');
    if (requiredBy) throw new ConfigError(`${requiredBy} needs TLS: set tls_cert and tls_key`, 'tls_cert');
    return undefined;
  }
  if (!keyPath) throw new ConfigError('tls_cert is set but tls_key is not', 'tls_key');
  const minVersion = (lookup('tls_min_version') ?? '').trim() || 'TLSv1.2';
  if (minVersion !== 'TLSv1.2' && minVersion !== 'TLSv1.3') {
    throw new ConfigError(`bad value for tls_min_version: expected TLSv1.2 or TLSv1.3, got "${minVersion}"`, 'tls_min_version');
  }
  const caPath = (lookup('tls_ca') ?? '').trim();
  const material: TlsMaterial = {
    cert: readPem(certPath, 'tls_cert'),
    key: readPem(keyPath, 'tls_key'),
    ca: caPath ? readPem(caPath, 'tls_ca') : undefined,
    minVersion,
    requestCert: /^(yes|true|on|1)$/i.test((lookup('tls_request_client_cert') ?? '').trim()),
    sni: sniEntries.map((e) => ({ name: e.name, cert: readPem(e.certFile, 'tls_sni_certs'), key: readPem(e.keyFile, 'tls_sni_certs') })),
  };
  secureContextOf(material);
  sniContextsOf(material);
  return material;
}

function readPem(path: string, key: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ConfigError(`${key}: cannot read ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, key);
  }
}

/** Builds the default context; ConfigError when the PEM texts do not make one. */
export function secureContextOf(m: TlsMaterial): SecureContext {
  try {
    return createSecureContext({ cert: m.cert, key: m.key, ca: m.ca, minVersion: m.minVersion });
  } catch (e) {
    throw new ConfigError(`tls_cert/tls_key: unusable certificate or key: ${(e as Error).message}`, 'tls_cert');
  }
}

/**
 * Builds the `tls_sni_certs` contexts and returns the lookup for a server name (exact, then one-label
 * wildcard: {@link pickByServerName}, as STARTTLS does); undefined when there are none. The lookup
 * answers undefined for other names: serve the default context. ConfigError when an entry's PEM
 * texts do not make a context.
 */
export function sniContextsOf(m: TlsMaterial): ((servername: string) => SecureContext | undefined) | undefined {
  if (!m.sni || m.sni.length === 0) return undefined;
  const byName = new Map<string, SecureContext>();
  for (const e of m.sni) {
    try {
      byName.set(e.name, createSecureContext({ cert: e.cert, key: e.key, ca: m.ca, minVersion: m.minVersion }));
    } catch (err) {
      throw new ConfigError(`tls_sni_certs: unusable certificate or key for ${e.name}: ${(err as Error).message}`, 'tls_sni_certs');
    }
  }
  return (servername) => pickByServerName(byName, servername);
}

/** The {@link TlsInfo} of an established server-side TLS socket. */
export function tlsInfoOfSocket(tls: TLSSocket, withPeer: boolean): TlsInfo {
  const servername = (tls as { servername?: unknown }).servername;
  const info: { protocol: string; cipher: string; servername?: string; peerCertificate?: TlsInfo['peerCertificate'] } = {
    protocol: tls.getProtocol() ?? 'unknown',
    cipher: tls.getCipher()?.name ?? 'unknown',
  };
  if (typeof servername === 'string' && servername) info.servername = servername;
  if (withPeer) {
    const cert = tls.getPeerCertificate();
    if (cert && cert.subject) {
      info.peerCertificate = { subject: { ...cert.subject } as Record<string, string | string[]>, fingerprint256: cert.fingerprint256, authorized: tls.authorized };
    }
  }
  return info;
}
