/**
 * TLS for /tls listeners and STARTTLS. The settings are login-common's (`tls_cert`, `tls_key`,
 * `tls_ca`, `tls_min_version`, `tls_request_client_cert`), read here by key because forkers do not
 * import login-common. The privileged primary reads the files (keys are usually readable by root only)
 * and sends their contents to the unprivileged workers over the IPC channel; workers build the
 * context. Re-read on SIGHUP, so a renewed certificate is picked up without a restart.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContext } from 'node:tls';
import { ConfigError } from '@pigeondeliver/core';

/** PEM texts and settings, plain JSON (crosses the IPC channel). */
export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  readonly ca?: string;
  readonly minVersion: 'TLSv1.2' | 'TLSv1.3';
  readonly requestCert: boolean;
}

/**
 * Reads the files named by the options. Undefined when tls_cert is empty and `required` is false;
 * ConfigError (naming the key) for a missing file, a key without certificate or a bad version.
 */
export function readTlsMaterial(value: (key: string) => string | undefined, required: string | undefined): TlsMaterial | undefined {
  const certPath = (value('tls_cert') ?? '').trim();
  const keyPath = (value('tls_key') ?? '').trim();
  if (!certPath) {
    if (required) throw new ConfigError(`${required} needs TLS: set tls_cert and tls_key`, 'tls_cert');
    return undefined;
  }
  if (!keyPath) throw new ConfigError('tls_cert is set but tls_key is not', 'tls_key');
  const minVersion = (value('tls_min_version') ?? 'TLSv1.2').trim() || 'TLSv1.2';
  if (minVersion !== 'TLSv1.2' && minVersion !== 'TLSv1.3') throw new ConfigError(`bad value for tls_min_version: expected TLSv1.2 or TLSv1.3, got "${minVersion}"`, 'tls_min_version');
  const caPath = (value('tls_ca') ?? '').trim();
  const requestCert = /^(yes|true|on|1)$/i.test((value('tls_request_client_cert') ?? '').trim());
  const material: TlsMaterial = {
    cert: readPem(certPath, 'tls_cert'),
    key: readPem(keyPath, 'tls_key'),
    ca: caPath ? readPem(caPath, 'tls_ca') : undefined,
    minVersion,
    requestCert,
  };
  secureContextOf(material); // a key that does not match the certificate fails here, at startup
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
