/** TLS facts of a socket, in the shape of core's {@link TlsInfo}, and the user named by a client certificate. */
import type { TLSSocket } from 'node:tls';
import type { TlsInfo } from '@pigeondeliver/core';

/** Reads protocol, cipher, SNI name and the client certificate of an established TLS socket. */
export function tlsInfoOf(socket: TLSSocket): TlsInfo {
  const servername = (socket as TLSSocket & { servername?: string | false }).servername;
  const peer = socket.getPeerCertificate();
  const hasPeer = peer && typeof peer === 'object' && Object.keys(peer).length > 0 && peer.subject;
  return {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher()?.name ?? 'unknown',
    servername: typeof servername === 'string' && servername.length > 0 ? servername : undefined,
    peerCertificate: hasPeer
      ? {
          subject: { ...(peer.subject as unknown as Record<string, string | string[]>) },
          fingerprint256: peer.fingerprint256,
          authorized: socket.authorized,
        }
      : undefined,
  };
}

/**
 * The user a verified client certificate names, by subject field (`tls_cert_username_field`), for
 * SASL EXTERNAL (RFC 4422 appendix A). Undefined when there is no verified certificate or no such
 * field, or the field has several values (ambiguous).
 */
export function certificateUsername(tls: TlsInfo | undefined, field: 'CN' | 'emailAddress'): string | undefined {
  const cert = tls?.peerCertificate;
  if (!cert || !cert.authorized) return undefined;
  const value = cert.subject[field];
  if (typeof value !== 'string' || value.length === 0) return undefined;
  return value;
}
