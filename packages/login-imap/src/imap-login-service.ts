/**
 * The IMAP login service (core ILoginService): greets, runs the pre-login command loop with every
 * limit of `Limits`, and ends when the session is handed to a backend or the connection is closed.
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
import { IMAP_LOGIN_COMMANDS, POST_LOGIN_COMMANDS } from './commands/index.js';
import { CommandOutcome } from './commands/imap-command.js';
import { capabilityFacts, greetingLine } from './imap-capabilities.js';
import { IMAP_OPTIONS, type ImapSettings } from './imap-options.js';
import { ImapParseError, ImapParseFailure, ImapParser, type ImapCommandLine } from './imap-parser.js';
import { ImapSession, ImapState, type ImapServices } from './imap-session.js';
import { ImapReply, TEXT, tagged, untagged } from './replies.js';

/** How long the last words may take to flush before the connection is cut. */
const CLOSE_FLUSH_MS = 2000;

/** Pre-login IMAP (RFC 9051, RFC 3501 as clients use them). */
@injectable()
export class ImapLoginService implements ILoginService {
  readonly protocol = 'imap' as const;
  private readonly services: ImapServices;

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
    const imap: ImapSettings = { greeting: options.get(IMAP_OPTIONS.greeting), idName: options.get(IMAP_OPTIONS.idName) };
    this.services = { authenticator, sasl, router, trustedNetworks, common, imap, limits };
  }

  async handle(original: ClientConnection, greeted?: GreetingSent): Promise<void> {
    const conn = withStartTls(original, this.tls);
    const limits = this.services.limits;
    const reader = new InputReader(conn.stream, {
      maxLineLength: limits.maxLineLength,
      idleTimeout: limits.idleTimeout,
      totalTimeout: limits.loginTimeout,
    });
    // Each connection's state is created here, never by the container (code-style §1.3).
    const parser = new ImapParser(
      reader,
      { maxLineLength: limits.maxLineLength, maxLiteralSize: limits.maxLiteralSize, maxCommandBytes: limits.maxLineLength + 2 * limits.maxLiteralSize },
      () => conn.stream.write('+ OK\r\n'), // RFC 9051 §7.5: ready for the literal
    );
    const session = new ImapSession(conn, reader, parser, this.services);
    conn.stream.on('error', () => undefined); // a reset client must not crash the process; reads see Closed

    const greeting = greetingLine(capabilityFacts(session), this.services.imap.greeting);
    if (!greeted) session.write(greeting);
    else if (greeted.line !== greeting) {
      // The early greeting is computed from the same options by the same rule; a difference means a
      // custom authenticator or plugin changed what is offered. The client asks CAPABILITY again.
      conn.log.warn({ sent: greeted.line, expected: greeting }, 'early greeting differs from the service\'s');
    }
    let outcome: CommandOutcome = CommandOutcome.Continue;
    try {
      outcome = await this.loop(session);
    } catch (e) {
      outcome = this.lastWords(session, e);
    }
    if (outcome === CommandOutcome.HandedOff) {
      reader.close();
      return;
    }
    reader.close();
    await closeGracefully(conn);
  }

  reject(connection: ClientConnection, reason: RejectReason): void {
    const text: Record<RejectReason, string> = {
      [RejectReason.ServerShuttingDown]: 'Server shutting down.',
      [RejectReason.TooManyConnections]: 'Too many connections, try again later.',
      [RejectReason.TooManyFromAddress]: 'Too many connections from your address.',
      [RejectReason.RateLimited]: 'Too many connections, slow down.',
    };
    const code = reason === RejectReason.ServerShuttingDown ? 'UNAVAILABLE' : 'LIMIT';
    connection.stream.write(`${untagged(`${ImapReply.Bye} [${code}] ${text[reason]}`)}\r\n`);
    void closeGracefully(connection);
  }

  private async loop(session: ImapSession): Promise<CommandOutcome> {
    const { limits } = this.services;
    const log = session.connection.log;
    for (;;) {
      let command: ImapCommandLine;
      try {
        command = await session.parser.readCommand();
      } catch (e) {
        if (!(e instanceof ImapParseError)) throw e;
        const outcome = this.parseFailure(session, e);
        if (outcome !== CommandOutcome.Continue) return outcome;
        continue;
      }
      log.debug({ session: session.connection.sessionId, command: redactCommand(command.firstLine) }, 'command');
      session.commands++;
      if (session.commands > limits.maxCommands) {
        session.write(untagged(`${ImapReply.Bye} ${TEXT.tooManyCommands}`));
        return CommandOutcome.Close;
      }
      const outcome = await this.dispatch(session, command);
      if (outcome !== CommandOutcome.Continue) return outcome;
      if (session.badCommands >= limits.maxBadCommands) {
        session.write(untagged(`${ImapReply.Bye} ${TEXT.tooManyBad}`));
        return CommandOutcome.Close;
      }
    }
  }

  private async dispatch(session: ImapSession, command: ImapCommandLine): Promise<CommandOutcome> {
    const handler = IMAP_LOGIN_COMMANDS.get(command.name);
    if (!handler || !handler.allowedIn.includes(session.state)) {
      session.badCommands++;
      const text = POST_LOGIN_COMMANDS.has(command.name) || handler ? 'Command not allowed before login.' : 'Unknown command.';
      session.write(tagged(command.tag, ImapReply.Bad, text));
      return CommandOutcome.Continue;
    }
    if (command.args.length < handler.arity.min || command.args.length > handler.arity.max) {
      session.badCommands++;
      session.write(tagged(command.tag, ImapReply.Bad, `Wrong number of arguments for ${handler.name}.`));
      return CommandOutcome.Continue;
    }
    return handler.handle(session, command);
  }

  private parseFailure(session: ImapSession, e: ImapParseError): CommandOutcome {
    switch (e.failure) {
      case ImapParseFailure.NonSyncLiteralTooBig:
        // RFC 7888 §4: the client sends the literal without waiting; we cannot skip it safely.
        session.write(untagged(`${ImapReply.Bye} [TOOBIG] ${TEXT.literalTooBig}`));
        return CommandOutcome.Close;
      case ImapParseFailure.LiteralTooBig:
        session.badCommands++;
        session.write(tagged(e.tag!, ImapReply.Bad, TEXT.literalTooBig, 'TOOBIG'));
        break;
      case ImapParseFailure.BadTag:
        session.badCommands++;
        session.write(untagged(`${ImapReply.Bad} ${e.message}`));
        break;
      case ImapParseFailure.Syntax:
        session.badCommands++;
        session.write(tagged(e.tag!, ImapReply.Bad, e.message));
        break;
    }
    if (session.badCommands >= this.services.limits.maxBadCommands) {
      session.write(untagged(`${ImapReply.Bye} ${TEXT.tooManyBad}`));
      return CommandOutcome.Close;
    }
    return CommandOutcome.Continue;
  }

  /** The reply for a reader failure or an unexpected error; always ends the connection. */
  private lastWords(session: ImapSession, e: unknown): CommandOutcome {
    session.state = ImapState.Done;
    const log = session.connection.log;
    if (e instanceof InputError) {
      const bye: Partial<Record<InputFailure, string>> = {
        [InputFailure.LineTooLong]: TEXT.lineTooLong,
        [InputFailure.IdleTimeout]: TEXT.idle,
        [InputFailure.LoginTimeout]: TEXT.loginTimeout,
      };
      const text = bye[e.failure];
      if (text) session.write(untagged(`${ImapReply.Bye} ${text}`));
      log.info({ session: session.connection.sessionId, reason: e.failure }, 'connection closed before login');
      return CommandOutcome.Close;
    }
    log.error({ session: session.connection.sessionId, err: e instanceof Error ? e.stack : String(e) }, 'unexpected error in the IMAP login');
    session.write(untagged(`${ImapReply.Bye} ${TEXT.internal}`));
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
