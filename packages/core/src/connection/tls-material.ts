/**
 * TLS material for forkers that terminate TLS themselves (implicit TLS, RFC 8314 §3.3, and STARTTLS
 * offered by the forker). The settings are login-common's (`tls_cert`, `tls_key`, `tls_ca`,
 * `tls_min_version`, `tls_request_client_cert`), read here by key through a lookup function, because
 * forkers do not import login-common. The result is plain JSON so that a privileged process can read
 * the files (keys are usually readable by root only) and send the texts to unprivileged workers.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { ConfigError } from '../errors.js';
import type { TlsInfo } from '../contracts/connection.js';

/** PEM texts and settings, plain JSON. */
export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  readonly ca?: string;
  readonly minVersion: 'TLSv1.2' | 'TLSv1.3';
  /** Ask for a client certificate (verified against `ca`, never required). */
  readonly requestCert: boolean;
}

/** Looks a raw option value up by key (`(k) => options.rawValue(k)`). */
export type OptionLookup = (key: string) => string | undefined;

/**
 * Reads the files named by the options. Undefined when tls_cert is empty and `requiredBy` is
 * undefined; otherwise a ConfigError naming the key for: TLS required but not configured (the message
 * names `requiredBy`), a key without a certificate, an unreadable file, a bad version, or a key that
 * does not match its certificate (found here, at startup, not at the first client).
 */
export function readTlsMaterial(lookup: OptionLookup, requiredBy?: string): TlsMaterial | undefined {
  const certPath = (lookup('tls_cert') ?? '').trim();
  const keyPath = (lookup('tls_key') ?? '').trim();
  if (!certPath) {
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
  };
  secureContextOf(material);
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

/** Builds the context; ConfigError when the PEM texts do not make one. */
export function secureContextOf(m: TlsMaterial): SecureContext {
  try {
    return createSecureContext({ cert: m.cert, key: m.key, ca: m.ca, minVersion: m.minVersion });
  } catch (e) {
    throw new ConfigError(`tls_cert/tls_key: unusable certificate or key: ${(e as Error).message}`, 'tls_cert');
  }
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
