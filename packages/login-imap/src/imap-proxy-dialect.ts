/**
 * The IMAP side of backend-proxy's plain-login mode (core IProxyDialect): log in to a foreign IMAP
 * server with the user's password (RFC 9051 §6.2.3 LOGIN; strings that are not simple go as
 * synchronizing literals, which every server supports). TLS to the remote is the proxy's business.
 */
import type { Duplex } from 'node:stream';
import { ILimits, ProxyFailure, inject, injectable, type AuthenticatedSession, type IProxyDialect, type Limits } from '@pigeondeliver/core';
import { InputError, InputReader } from '@pigeondeliver/login-common';

/** Tag we use on the remote connection. */
const TAG = 'pd1';

/** A failure of the remote login, with its {@link ProxyFailure} kind. */
export class ImapProxyError extends Error {
  constructor(
    readonly failure: ProxyFailure,
    message: string,
  ) {
    super(`${failure}: ${message}`);
    this.name = 'ImapProxyError';
  }
}

/** Plain LOGIN to a foreign IMAP server. */
@injectable()
export class ImapProxyDialect implements IProxyDialect {
  readonly protocol = 'imap' as const;

  constructor(@inject(ILimits) private readonly limits: Limits) {}

  async plainLogin(remote: Duplex, session: AuthenticatedSession, password: string): Promise<void> {
    const reader = new InputReader(remote, { maxLineLength: 64 * 1024, idleTimeout: this.limits.backendTimeout, totalTimeout: this.limits.backendTimeout });
    try {
      const greeting = (await reader.readLine()).toString('utf8');
      if (/^\* BYE/i.test(greeting)) throw new ImapProxyError(ProxyFailure.RemoteRefused, `remote said ${greeting.slice(0, 200)}`);
      if (!/^\* (OK|PREAUTH)/i.test(greeting)) throw new ImapProxyError(ProxyFailure.Protocol, 'remote did not greet with * OK');
      const user = Buffer.from(session.user.login, 'utf8');
      const pass = Buffer.from(password, 'utf8');
      const parts: Buffer[] = [Buffer.from(`${TAG} LOGIN `)];
      await this.sendString(remote, reader, parts, user);
      parts.push(Buffer.from(' '));
      await this.sendString(remote, reader, parts, pass);
      parts.push(Buffer.from('\r\n'));
      remote.write(Buffer.concat(parts));
      for (;;) {
        const line = (await reader.readLine()).toString('utf8');
        if (line.startsWith('* ')) continue; // untagged data (CAPABILITY...) before the answer
        if (line.startsWith(`${TAG} OK`)) break;
        if (line.startsWith(`${TAG} NO`)) {
          const failure = /\[UNAVAILABLE\]/i.test(line) ? ProxyFailure.RemoteRefused : ProxyFailure.AuthFailed;
          throw new ImapProxyError(failure, 'remote refused the login');
        }
        throw new ImapProxyError(ProxyFailure.Protocol, 'unexpected reply to LOGIN');
      }
    } catch (e) {
      if (e instanceof ImapProxyError) throw e;
      if (e instanceof InputError) {
        const failure = e.failure === 'closed' ? ProxyFailure.Protocol : ProxyFailure.Timeout;
        throw new ImapProxyError(failure, `remote connection: ${e.message}`);
      }
      throw new ImapProxyError(ProxyFailure.Protocol, (e as Error).message);
    } finally {
      // Whatever the remote sent after its OK stays in the stream for the relay.
      const rest = reader.detach();
      reader.close();
      if (rest.length > 0) remote.unshift(rest);
    }
  }

  /** Appends a quoted string, or writes what we have plus a literal header and waits for `+`. */
  private async sendString(remote: Duplex, reader: InputReader, parts: Buffer[], value: Buffer): Promise<void> {
    if (/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(value.toString('latin1'))) {
      parts.push(Buffer.from(`"${value.toString('latin1')}"`, 'latin1'));
      return;
    }
    parts.push(Buffer.from(`{${value.length}}\r\n`));
    remote.write(Buffer.concat(parts));
    parts.length = 0;
    const line = (await reader.readLine()).toString('utf8');
    if (!line.startsWith('+')) throw new ImapProxyError(ProxyFailure.AuthFailed, 'remote refused the literal');
    parts.push(value);
  }
}
