/**
 * The POP3 login service (core ILoginService): greets (with an APOP timestamp when APOP is on), runs
 * the AUTHORIZATION-state command loop with every limit of `Limits`, and ends when the session is
 * handed to a backend or the connection is closed.
 */
import {
  IAuthenticator,
  ILimits,
  IOptions,
  RejectReason,
  inject,
  injectable,
  type ClientConnection,
  type GreetingSent,
  type ILoginService,
  type Limits,
  type ResolvedOptions,
} from '@pigeondeliver/core';
import {
  ILoginCommonSettings,
  ISaslMechanisms,
  ISessionRouter,
  ITlsContextProvider,
  ITrustedNetworks,
  InputError,
  InputFailure,
  InputReader,
  redactCommand,
  withStartTls,
  type LoginCommonSettings,
  type SaslMechanismRegistry,
  type SessionRouter,
  type TlsContextProvider,
  type TrustedNetworks,
} from '@pigeondeliver/login-common';
import { PasswordsApopVerifier, apopTimestamp, type ApopVerifier } from './apop.js';
import { greetingLine } from './greeting-line.js';
import { POP3_LOGIN_COMMANDS, POST_LOGIN_COMMANDS } from './commands/index.js';
import { CommandOutcome } from './commands/pop3-command.js';
import { Pop3LineProblem, parsePop3Line, type Pop3CommandLine } from './pop3-command-line.js';
import { pop3SettingsFromOptions } from './pop3-options.js';
import { Pop3Session, Pop3State, type Pop3Services } from './pop3-session.js';
import { Pop3Code, TEXT, err } from './replies.js';

/** How long the last words may take to flush before the connection is cut. */
const CLOSE_FLUSH_MS = 2000;

/** Pre-login POP3 (RFC 1939, 2449, 2595, 5034, 3206). */
@injectable()
export class Pop3LoginService implements ILoginService {
  readonly protocol = 'pop3' as const;
  private readonly services: Pop3Services;

  constructor(
    @inject(IAuthenticator) authenticator: IAuthenticator,
    @inject(ISaslMechanisms) sasl: SaslMechanismRegistry,
    @inject(ISessionRouter) router: SessionRouter,
    @inject(ITrustedNetworks) trustedNetworks: TrustedNetworks,
    @inject(ITlsContextProvider) private readonly tls: TlsContextProvider,
    @inject(ILoginCommonSettings) common: LoginCommonSettings,
    @inject(ILimits) limits: Limits,
    @inject(IOptions) options: ResolvedOptions,
  ) {
    const apop: ApopVerifier = new PasswordsApopVerifier(common.defaultPasswordScheme);
    this.services = { authenticator, sasl, router, trustedNetworks, common, pop3: pop3SettingsFromOptions(options), limits, apop };
  }

  async handle(original: ClientConnection, greeted?: GreetingSent): Promise<void> {
    const conn = withStartTls(original, this.tls);
    const { limits, pop3, common } = this.services;
    const reader = new InputReader(conn.stream, {
      maxLineLength: limits.maxLineLength,
      idleTimeout: limits.idleTimeout,
      totalTimeout: limits.loginTimeout,
    });
    // Each connection's state is created here, never by the container (code-style §1.3).
    // Greeted early (docs/architecture.md "Greeting first"): the timestamp is the one the client saw.
    const timestamp = greeted ? greeted.challenge : pop3.apop ? apopTimestamp(common.hostname) : undefined;
    const session = new Pop3Session(conn, reader, this.services, timestamp);
    conn.stream.on('error', () => undefined); // a reset client must not crash the process; reads see Closed

    // RFC 1939 §4 greeting; RFC 1939 §7: the APOP timestamp ends it.
    const greeting = greetingLine(pop3.greeting, timestamp);
    if (!greeted) session.write(greeting);
    else if (greeted.line !== greeting || (greeted.challenge !== undefined) !== pop3.apop) {
      conn.log.warn({ sent: greeted.line, expected: greeting }, 'early greeting differs from the service\'s');
    }
    let outcome: CommandOutcome = CommandOutcome.Continue;
    try {
      outcome = await this.loop(session);
    } catch (e) {
      outcome = this.lastWords(session, e);
    }
    reader.close();
    if (outcome === CommandOutcome.HandedOff) return;
    await closeGracefully(conn);
  }

  reject(connection: ClientConnection, reason: RejectReason): void {
    const text: Record<RejectReason, string> = {
      [RejectReason.ServerShuttingDown]: 'Server shutting down.',
      [RejectReason.TooManyConnections]: 'Too many connections, try again later.',
      [RejectReason.TooManyFromAddress]: 'Too many connections from your address.',
      [RejectReason.RateLimited]: 'Too many connections, slow down.',
    };
    // RFC 3206 §4: all of these are temporary conditions.
    connection.stream.write(`${err(text[reason], Pop3Code.SysTemp)}\r\n`);
    void closeGracefully(connection);
  }

  private async loop(session: Pop3Session): Promise<CommandOutcome> {
    const { limits } = this.services;
    const conn = session.connection;
    for (;;) {
      const line = await session.reader.readLine();
      session.commands++;
      const parsed = parsePop3Line(line);
      if (conn.log.isLevelEnabled('debug')) conn.log.debug({ session: conn.sessionId, command: redactCommand(line) }, 'command');
      if (session.commands > limits.maxCommands) {
        session.write(err(TEXT.tooManyCommands));
        return CommandOutcome.Close;
      }
      const outcome = typeof parsed === 'string' ? this.badLine(session, parsed) : await this.dispatch(session, parsed);
      if (outcome !== CommandOutcome.Continue) return outcome;
      if (session.badCommands >= limits.maxBadCommands) {
        session.write(err(TEXT.tooManyBad));
        return CommandOutcome.Close;
      }
    }
  }

  private badLine(session: Pop3Session, problem: Pop3LineProblem): CommandOutcome {
    session.badCommands++;
    session.write(err(problem === Pop3LineProblem.Nul ? TEXT.badCharacters : TEXT.unknownCommand));
    return CommandOutcome.Continue;
  }

  private async dispatch(session: Pop3Session, command: Pop3CommandLine): Promise<CommandOutcome> {
    const handler = POP3_LOGIN_COMMANDS.get(command.verb);
    if (!handler) {
      session.badCommands++;
      session.write(err(POST_LOGIN_COMMANDS.has(command.verb) ? TEXT.notBeforeLogin : TEXT.unknownCommand));
      return CommandOutcome.Continue;
    }
    if (!handler.allowedIn.includes(session.state)) {
      session.badCommands++;
      session.write(err(handler.wrongStateText ?? 'Command not allowed now.'));
      return CommandOutcome.Continue;
    }
    if (command.args.length < handler.arity.min || command.args.length > handler.arity.max) {
      session.badCommands++;
      session.write(err(`Wrong number of arguments for ${handler.name}.`));
      return CommandOutcome.Continue;
    }
    return handler.handle(session, command);
  }

  /** The reply for a reader failure or an unexpected error; always ends the connection. */
  private lastWords(session: Pop3Session, e: unknown): CommandOutcome {
    session.state = Pop3State.Done;
    const conn = session.connection;
    if (e instanceof InputError) {
      const last: Partial<Record<InputFailure, string>> = {
        [InputFailure.LineTooLong]: TEXT.lineTooLong,
        [InputFailure.IdleTimeout]: TEXT.idle,
        [InputFailure.LoginTimeout]: TEXT.loginTimeout,
      };
      const text = last[e.failure];
      if (text) session.write(err(text));
      conn.log.info({ session: conn.sessionId, reason: e.failure }, 'connection closed before login');
      return CommandOutcome.Close;
    }
    conn.log.error({ session: conn.sessionId, err: e instanceof Error ? e.stack : String(e) }, 'unexpected error in the POP3 login');
    session.write(err(TEXT.internal, Pop3Code.SysTemp));
    return CommandOutcome.Close;
  }
}

/** Ends our side after the last words are flushed (bounded), then closes. */
function closeGracefully(conn: ClientConnection): Promise<void> {
  return new Promise<void>((resolve) => {
    const stream = conn.stream;
    const timer = setTimeout(finish, CLOSE_FLUSH_MS);
    timer.unref();
    function finish(): void {
      clearTimeout(timer);
      conn.close();
      resolve();
    }
    if (stream.destroyed || stream.writableEnded) return finish();
    stream.end(finish);
  });
}
