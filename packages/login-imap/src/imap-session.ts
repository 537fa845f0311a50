/**
 * Per-connection state of the IMAP login (created with `new` per connection, never by DI): the
 * connection, reader and parser, the state, counters and the services commands use.
 */
import type { ClientConnection, IAuthenticator, Limits } from '@pigeondeliver/core';
import type { InputReader, LoginCommonSettings, SaslMechanismRegistry, SessionRouter, TrustedNetworks } from '@pigeondeliver/login-common';
import type { ImapSettings } from './imap-options.js';
import type { ImapParser } from './imap-parser.js';

/** Protocol states (RFC 9051 §3); the login service only lives in the first one. */
export enum ImapState {
  NotAuthenticated = 'not-authenticated',
  /** Handed to a backend, or logged out: no more commands. */
  Done = 'done',
}

/** Process-wide services the commands use. */
export interface ImapServices {
  readonly authenticator: IAuthenticator;
  readonly sasl: SaslMechanismRegistry;
  readonly router: SessionRouter;
  readonly trustedNetworks: TrustedNetworks;
  readonly common: LoginCommonSettings;
  readonly imap: ImapSettings;
  readonly limits: Limits;
}

/** One client's pre-login session. */
export class ImapSession {
  state = ImapState.NotAuthenticated;
  /** CAPABILITY was asked (passed to the backend, Dovecot's CLIENT_INPUT flag). */
  capabilityRequested = false;
  badCommands = 0;
  authFailures = 0;
  commands = 0;
  /** The remote address was set by a trusted forwarder (ID x-originating-ip). */
  forwarded = false;
  /** Session id of the forwarding proxy (ID x-session-id), for logs. */
  forwardedSessionId: string | undefined;

  constructor(
    /** The connection (replaced by its TLS view after STARTTLS by the connection itself). */
    readonly connection: ClientConnection,
    readonly reader: InputReader,
    readonly parser: ImapParser,
    readonly services: ImapServices,
  ) {}

  /** Writes one response line (CRLF added). */
  write(line: string): void {
    this.connection.stream.write(`${line}\r\n`);
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
