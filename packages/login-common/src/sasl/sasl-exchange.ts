/**
 * Drives one SASL exchange for a protocol: feeds decoded client responses to the mechanism, runs the
 * authenticator when the mechanism has the credentials, and delivers SCRAM's server-final data as a
 * last challenge. The protocol does the framing (base64, `*`, continuation lines) and the replies.
 */
import { AuthResult, type AuthOutcome, type Endpoint, type IAuthenticator, type MailProtocol, type TlsInfo } from '@pigeondeliver/core';
import type { PrefetchedAuthRequest } from '../auth/authenticator.js';
import type { PrefetchResult, SaslContext, SaslMechanism, SaslMechanismSession } from './sasl-mechanism.js';

/** Facts about the connection an attempt is made on. */
export interface AuthAttemptFacts {
  readonly sessionId: string;
  readonly protocol: MailProtocol;
  readonly remote: Endpoint;
  readonly local: Endpoint;
  readonly secured: boolean;
  readonly trusted: boolean;
  readonly tls?: TlsInfo;
  /** Our host name (CRAM-MD5 challenge). */
  readonly hostname: string;
}

/** What the protocol must do next. */
export type SaslExchangeStep =
  /** Send this challenge (base64 on the wire) and read the client's response. */
  | { readonly kind: 'challenge'; readonly data: Buffer }
  /** The attempt is over: reply according to `outcome` (Ok: hand off). */
  | { readonly kind: 'done'; readonly login: string; readonly outcome: AuthOutcome }
  /** The client broke the mechanism's syntax: reply BAD / -ERR; the attempt is over. */
  | { readonly kind: 'malformed'; readonly message: string };

/** One SASL authentication attempt. */
export class SaslExchange {
  private readonly session: SaslMechanismSession;
  private pending: { login: string; outcome: AuthOutcome } | undefined;
  private finished = false;

  constructor(
    readonly mechanism: SaslMechanism,
    private readonly authenticator: IAuthenticator,
    private readonly facts: AuthAttemptFacts,
  ) {
    const context: SaslContext = {
      secured: facts.secured,
      tls: facts.tls,
      hostname: facts.hostname,
      prefetch: (login) => this.prefetch(login),
    };
    this.session = mechanism.start(context);
  }

  /** Starts with the initial response (RFC 4422 §5; `undefined`: none, empty Buffer: empty). */
  start(initialResponse: Buffer | undefined): Promise<SaslExchangeStep> {
    return this.advance(initialResponse);
  }

  /** Feeds the client's (decoded) response to the last challenge. */
  respond(response: Buffer): Promise<SaslExchangeStep> {
    if (this.pending) {
      const done = this.pending;
      this.pending = undefined;
      this.finished = true;
      // RFC 4422 §5: after the server's final data the client answers with an empty response.
      if (response.length > 0) return Promise.resolve({ kind: 'malformed', message: 'expected an empty response after the server\'s final data' });
      return Promise.resolve({ kind: 'done', ...done });
    }
    return this.advance(response);
  }

  private async advance(response: Buffer | undefined): Promise<SaslExchangeStep> {
    if (this.finished) return { kind: 'malformed', message: 'the SASL exchange is over' };
    const step = await this.session.step(response);
    if (step.kind === 'challenge') return step;
    this.finished = true;
    if (step.kind === 'malformed') return step;
    const request: PrefetchedAuthRequest = {
      sessionId: this.facts.sessionId,
      protocol: this.facts.protocol,
      mechanism: this.mechanism.name,
      login: step.login,
      credentials: step.credentials,
      remote: this.facts.remote,
      local: this.facts.local,
      secured: this.facts.secured,
      trusted: this.facts.trusted,
      prefetched: step.prefetched,
    };
    const outcome = await this.authenticator.authenticate(request);
    if (outcome.result === AuthResult.Ok && step.successData) {
      this.finished = false;
      this.pending = { login: step.login, outcome };
      return { kind: 'challenge', data: step.successData };
    }
    return { kind: 'done', login: step.login, outcome };
  }

  private async prefetch(login: string): Promise<PrefetchResult> {
    if (!this.authenticator.storedPassword) return { status: 'unknown' };
    try {
      const found = await this.authenticator.storedPassword(login);
      return found ? { status: 'found', user: found.user, password: found.password } : { status: 'unknown' };
    } catch (e) {
      return { status: 'failed', reason: e instanceof Error ? e.message || e.name : String(e) };
    }
  }
}
