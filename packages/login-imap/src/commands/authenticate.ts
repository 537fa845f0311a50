/**
 * AUTHENTICATE (RFC 9051 §6.2.2) with SASL-IR (RFC 4959: the initial response as a second argument,
 * `=` for an empty one). Challenges go out as `+ base64`; the client's `*` cancels (BAD); invalid
 * base64 is a protocol error (BAD). No SASL payload is ever logged.
 */
import {
  MechanismRefusal,
  SaslExchange,
  decodeBase64Strict,
  parseSaslResponseLine,
  type SaslExchangeStep,
} from '@pigeondeliver/login-common';
import { ImapState } from '../imap-session.js';
import { completeLogin } from '../login-completion.js';
import { ImapReply, TEXT, continuation, tagged } from '../replies.js';
import { CommandOutcome, type ImapCommand } from './imap-command.js';

export const authenticateCommand: ImapCommand = {
  name: 'AUTHENTICATE',
  allowedIn: [ImapState.NotAuthenticated],
  arity: { min: 1, max: 2 },
  async handle(session, command) {
    const { services, connection: conn } = session;
    const [mechArg, irArg] = command.args;
    if (mechArg?.type !== 'atom' || (irArg !== undefined && irArg.type !== 'atom')) {
      session.badCommands++;
      session.write(tagged(command.tag, ImapReply.Bad, 'AUTHENTICATE needs a mechanism name and an optional base64 initial response.'));
      return CommandOutcome.Continue;
    }
    const selected = services.sasl.select(mechArg.value, session.security, services.authenticator);
    if (selected === MechanismRefusal.PrivacyRequired) {
      session.write(tagged(command.tag, ImapReply.No, TEXT.privacyRequired, 'PRIVACYREQUIRED'));
      return CommandOutcome.Continue;
    }
    if (typeof selected === 'string') {
      session.write(tagged(command.tag, ImapReply.No, TEXT.unsupportedMechanism, 'CANNOT'));
      return CommandOutcome.Continue;
    }
    let initial: Buffer | undefined;
    if (irArg) {
      initial = irArg.value === '=' ? Buffer.alloc(0) : decodeBase64Strict(irArg.value);
      if (!initial) {
        session.badCommands++;
        session.write(tagged(command.tag, ImapReply.Bad, 'Invalid base64 data in initial response.'));
        return CommandOutcome.Continue;
      }
    }
    const exchange = new SaslExchange(selected, services.authenticator, {
      sessionId: conn.sessionId,
      protocol: 'imap',
      remote: conn.remote,
      local: conn.local,
      secured: conn.secured,
      trusted: session.clientTrusted,
      tls: conn.tls,
      hostname: services.common.hostname,
    });
    let step: SaslExchangeStep = await exchange.start(initial);
    while (step.kind === 'challenge') {
      session.write(continuation(step.data.toString('base64')));
      const line = await session.reader.readLine(services.limits.maxLineLength);
      const response = parseSaslResponseLine(line.toString('latin1'));
      if (response.kind === 'cancel') {
        session.write(tagged(command.tag, ImapReply.Bad, 'Authentication canceled.'));
        return CommandOutcome.Continue;
      }
      if (response.kind === 'bad-base64') {
        session.badCommands++;
        session.write(tagged(command.tag, ImapReply.Bad, 'Invalid base64 data in continued response.'));
        return CommandOutcome.Continue;
      }
      step = await exchange.respond(response.data);
    }
    if (step.kind === 'malformed') {
      session.badCommands++;
      conn.log.info({ session: conn.sessionId, mechanism: selected.name, reason: step.message }, 'malformed SASL exchange');
      session.write(tagged(command.tag, ImapReply.Bad, `${step.message}.`.replace(/\.\.$/, '.')));
      return CommandOutcome.Continue;
    }
    return completeLogin(session, command.tag, selected.name, step.outcome);
  },
};
