/**
 * Per-connection state of the POP3 login (created with `new` per connection, never by DI): the
 * connection and reader, the state, counters, the APOP timestamp and the services commands use.
 */
import type { ClientConnection, IAuthenticator, Limits } from '@pigeondeliver/core';
import type { InputReader, LoginCommonSettings, SaslMechanismRegistry, SessionRouter, TrustedNetworks } from '@pigeondeliver/login-common';
import type { ApopVerifier } from './apop.js';
import type { Pop3Settings } from './pop3-options.js';

/**
 * Protocol states. RFC 1939 §3 has AUTHORIZATION, TRANSACTION and UPDATE; the login service lives in
 * the first, which we split in two so that PASS is only valid right after an accepted USER (§7).
 */
export enum Pop3State {
  /** AUTHORIZATION, no user name given. */
  Authorization = 'authorization',
  /** AUTHORIZATION after `USER name` was accepted: PASS may follow. */
  UserGiven = 'user-given',
  /** Handed to a backend, or QUIT: no more commands. */
  Done = 'done',
}

/** Process-wide services the commands use. */
export interface Pop3Services {
  readonly authenticator: IAuthenticator;
  readonly sasl: SaslMechanismRegistry;
  readonly router: SessionRouter;
  readonly trustedNetworks: TrustedNetworks;
  readonly common: LoginCommonSettings;
  readonly pop3: Pop3Settings;
  readonly limits: Limits;
  readonly apop: ApopVerifier;
}

/** One client's pre-login session. */
export class Pop3Session {
  state = Pop3State.Authorization;
  /** The user name of an accepted USER, until PASS (or another command that starts over). */
  pendingUser: string | undefined;
  badCommands = 0;
  authFailures = 0;
  commands = 0;
  /** The remote address was set by a trusted forwarder (XCLIENT ADDR). */
  forwarded = false;
  /** Session id of the forwarding proxy (XCLIENT SESSION), for logs. */
  forwardedSessionId: string | undefined;
  /** Proxy hops so far, from XCLIENT TTL (0 for a direct client). */
  hops = 0;

  constructor(
    /** The connection (its stream becomes the TLS socket after STLS). */
    readonly connection: ClientConnection,
    readonly reader: InputReader,
    readonly services: Pop3Services,
    /** The APOP timestamp of the greeting (RFC 1939 §7), when APOP is offered. */
    readonly apopTimestamp: string | undefined,
  ) {}

  /** Writes one response line (CRLF added). */
  write(line: string): void {
    this.connection.stream.write(`${line}\r\n`);
  }

  /** Writes a multi-line response (RFC 1939 §3): the lines, dot-stuffed, then the `.` terminator. */
  writeMultiline(first: string, lines: readonly string[]): void {
    const body = lines.map((l) => (l.startsWith('.') ? `.${l}` : l));
    this.connection.stream.write(`${[first, ...body, '.'].join('\r\n')}\r\n`);
  }

  /** Forgets a USER name (after PASS, or when another command starts over). */
  startOver(): void {
    this.pendingUser = undefined;
    if (this.state === Pop3State.UserGiven) this.state = Pop3State.Authorization;
  }

  /**
   * Whether the (effective) client is trusted: the connection's own flag, or, once a trusted
   * forwarder named the real client, whether that address is on a trusted network.
   */
  get clientTrusted(): boolean {
    return this.forwarded ? this.services.trustedNetworks.contains(this.connection.remote.address) : this.connection.trusted;
  }

  /** What decides which authentication is allowed: TLS, or the hop we talk to is trusted. */
  get security(): { secured: boolean; trusted: boolean; tls: ClientConnection['tls'] } {
    return { secured: this.connection.secured, trusted: this.connection.trusted, tls: this.connection.tls };
  }
}
