/**
 * The POP3 side of backend-proxy's plain-login mode (core IProxyDialect): log in to a foreign POP3
 * server with USER/PASS (RFC 1939 §7). The remote's `+OK` to PASS is consumed here; the proxy then
 * answers the client's login itself. RFC 2449/3206 response codes classify failures: `[SYS/TEMP]`,
 * `[IN-USE]` and `[LOGIN-DELAY]` are the remote refusing for now, everything else is a failed login.
 * TLS to the remote is the proxy's business.
 */
import type { Duplex } from 'node:stream';
import { ILimits, ProxyFailure, inject, injectable, type AuthenticatedSession, type IProxyDialect, type Limits } from '@pigeondeliver/core';
import { InputError, InputFailure, InputReader } from '@pigeondeliver/login-common';

/** A failure of the remote login, with its {@link ProxyFailure} kind. */
export class Pop3ProxyError extends Error {
  constructor(
    readonly failure: ProxyFailure,
    message: string,
  ) {
    super(`${failure}: ${message}`);
    this.name = 'Pop3ProxyError';
  }
}

/** Response codes meaning "not now" rather than "wrong credentials" (RFC 3206 §4, RFC 2449 §8.1). */
const TEMPORARY = /^-ERR \[(SYS\/TEMP|IN-USE|LOGIN-DELAY)\]/i;

/** Plain USER/PASS to a foreign POP3 server. */
@injectable()
export class Pop3ProxyDialect implements IProxyDialect {
  readonly protocol = 'pop3' as const;

  constructor(@inject(ILimits) private readonly limits: Limits) {}

  async plainLogin(remote: Duplex, session: AuthenticatedSession, password: string): Promise<void> {
    const login = session.user.login;
    // RFC 1939 §3: arguments are one line; a CR, LF or NUL cannot be sent (and would inject commands).
    if (/[\r\n\0]/.test(login) || /[\r\n\0]/.test(password)) {
      throw new Pop3ProxyError(ProxyFailure.AuthFailed, 'the user name or password cannot be sent over POP3 (CR, LF or NUL)');
    }
    const reader = new InputReader(remote, { maxLineLength: 64 * 1024, idleTimeout: this.limits.backendTimeout, totalTimeout: this.limits.backendTimeout });
    try {
      const greeting = (await reader.readLine()).toString('utf8');
      if (/^-ERR/i.test(greeting)) throw new Pop3ProxyError(ProxyFailure.RemoteRefused, `remote said ${greeting.slice(0, 200)}`);
      if (!/^\+OK/i.test(greeting)) throw new Pop3ProxyError(ProxyFailure.Protocol, 'remote did not greet with +OK');
      remote.write(Buffer.concat([Buffer.from('USER '), Buffer.from(login, 'utf8'), Buffer.from('\r\n')]));
      this.check((await reader.readLine()).toString('utf8'), 'USER');
      remote.write(Buffer.concat([Buffer.from('PASS '), Buffer.from(password, 'utf8'), Buffer.from('\r\n')]));
      this.check((await reader.readLine()).toString('utf8'), 'PASS');
    } catch (e) {
      if (e instanceof Pop3ProxyError) throw e;
      if (e instanceof InputError) {
        const failure = e.failure === InputFailure.Closed ? ProxyFailure.Protocol : ProxyFailure.Timeout;
        throw new Pop3ProxyError(failure, `remote connection: ${e.message}`);
      }
      throw new Pop3ProxyError(ProxyFailure.Protocol, (e as Error).message);
    } finally {
      // Whatever the remote sent after its +OK stays in the stream for the relay.
      const rest = reader.detach();
      reader.close();
      if (rest.length > 0) remote.unshift(rest);
    }
  }

  /** Throws unless the reply is `+OK`; the remote's text is never echoed (it could quote the password). */
  private check(reply: string, command: string): void {
    if (/^\+OK/i.test(reply)) return;
    if (TEMPORARY.test(reply)) throw new Pop3ProxyError(ProxyFailure.RemoteRefused, `remote refused ${command} for now (${/\[([^\]]+)\]/.exec(reply)![1]})`);
    if (/^-ERR/i.test(reply)) throw new Pop3ProxyError(ProxyFailure.AuthFailed, `remote refused ${command}`);
    throw new Pop3ProxyError(ProxyFailure.Protocol, `unexpected reply to ${command}`);
  }
}
