/**
 * Server TLS contexts built from options: the default certificate, per-name certificates chosen by
 * SNI (RFC 6066 §3), the lowest protocol version and optional client certificates (for SASL
 * EXTERNAL). Used for STARTTLS here and for implicit-TLS listeners by the forkers.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContext, type TlsOptions } from 'node:tls';
import { ConfigError, parseSniEntry, pickByServerName, type ResolvedOptions, type SniCertificate } from '@pigeondeliver/core';
import { LOGIN_COMMON_OPTIONS } from '../login-common-options.js';

// The entry syntax and the name matching live in core, shared with the forkers' implicit TLS.
export { parseSniEntry, type SniCertificate } from '@pigeondeliver/core';

/** What {@link TlsContextProvider} is built from (the `tls_*` options). */
export interface TlsSettings {
  /** PEM certificate chain file; empty: TLS is not available. */
  readonly certFile: string;
  readonly keyFile: string;
  readonly sniCertificates: readonly SniCertificate[];
  readonly minVersion: 'TLSv1.2' | 'TLSv1.3';
  /** PEM CA bundle client certificates must chain to; empty: no client certificates. */
  readonly caFile: string;
  /** Ask clients for a certificate (never required: a client without one can still use passwords). */
  readonly requestClientCert: boolean;
}

/** Reads the `tls_*` options into {@link TlsSettings}. */
export function tlsSettingsFromOptions(options: ResolvedOptions): TlsSettings {
  return {
    certFile: options.get(LOGIN_COMMON_OPTIONS.tlsCert),
    keyFile: options.get(LOGIN_COMMON_OPTIONS.tlsKey),
    sniCertificates: options.get(LOGIN_COMMON_OPTIONS.tlsSniCerts).map(parseSniEntry),
    minVersion: options.get(LOGIN_COMMON_OPTIONS.tlsMinVersion),
    caFile: options.get(LOGIN_COMMON_OPTIONS.tlsCa),
    requestClientCert: options.get(LOGIN_COMMON_OPTIONS.tlsRequestClientCert),
  };
}

function readPem(file: string, key: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new ConfigError(`cannot read ${key} file ${file}: ${(e as Error).message}`, key);
  }
}

/** Builds and holds the process's server TLS contexts. Files are read once, at construction. */
export class TlsContextProvider {
  private readonly defaultContext: SecureContext | undefined;
  private readonly byName = new Map<string, SecureContext>();
  private readonly ca: Buffer | undefined;
  private readonly pem: { cert: Buffer; key: Buffer } | undefined;

  constructor(readonly settings: TlsSettings) {
    if (settings.certFile === '') {
      if (settings.keyFile !== '') throw new ConfigError('tls_key is set but tls_cert is not', 'tls_cert');
      if (settings.sniCertificates.length > 0) throw new ConfigError('tls_sni_certs needs a default tls_cert', 'tls_cert');
      return;
    }
    if (settings.keyFile === '') throw new ConfigError('tls_cert is set but tls_key is not', 'tls_key');
    this.ca = settings.caFile ? readPem(settings.caFile, 'tls_ca') : undefined;
    if (settings.requestClientCert && !this.ca) {
      throw new ConfigError('tls_request_client_cert needs tls_ca (the CA client certificates must chain to)', 'tls_ca');
    }
    this.pem = { cert: readPem(settings.certFile, 'tls_cert'), key: readPem(settings.keyFile, 'tls_key') };
    this.defaultContext = this.build(settings.certFile, settings.keyFile, 'tls_cert');
    for (const sni of settings.sniCertificates) this.byName.set(sni.name, this.build(sni.certFile, sni.keyFile, 'tls_sni_certs'));
  }

  /** A provider from the process options. */
  static fromOptions(options: ResolvedOptions): TlsContextProvider {
    return new TlsContextProvider(tlsSettingsFromOptions(options));
  }

  /** A certificate is configured: STARTTLS can be offered. */
  get available(): boolean {
    return this.defaultContext !== undefined;
  }

  /** Client certificates are requested and verified (SASL EXTERNAL can work). */
  get verifiesClientCertificates(): boolean {
    return this.available && this.settings.requestClientCert && this.ca !== undefined;
  }

  /** The context for a server name (exact, then one-label wildcard, then the default). */
  contextFor(servername?: string): SecureContext {
    if (!this.defaultContext) throw new ConfigError('TLS is not configured: set tls_cert and tls_key', 'tls_cert');
    return pickByServerName(this.byName, servername) ?? this.defaultContext;
  }

  /**
   * Options for a server-side `TLSSocket` or `tls.createServer`: default context, SNI callback and the
   * client-certificate request. Unverified client certificates do not fail the handshake; they are
   * just not used (`authorized` false).
   */
  serverOptions(): TlsOptions {
    return {
      // secureContext serves `new TLSSocket`; cert/key/ca serve `tls.createServer`, which ignores it.
      secureContext: this.contextFor(),
      cert: this.pem?.cert,
      key: this.pem?.key,
      ca: this.ca,
      SNICallback: (name, cb) => {
        try {
          cb(null, this.contextFor(name));
        } catch (e) {
          cb(e as Error, undefined);
        }
      },
      requestCert: this.verifiesClientCertificates,
      rejectUnauthorized: false,
      minVersion: this.settings.minVersion,
    };
  }

  private build(certFile: string, keyFile: string, key: string): SecureContext {
    try {
      return createSecureContext({
        cert: readPem(certFile, key),
        key: readPem(keyFile, key === 'tls_cert' ? 'tls_key' : key),
        ca: this.ca,
        minVersion: this.settings.minVersion,
      });
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      throw new ConfigError(`unusable certificate or key (${certFile}, ${keyFile}): ${(e as Error).message}`, key);
    }
  }
}
