/**
 * AUTH (RFC 5034): `AUTH mechanism [initial-response]` (`=` is an empty initial response, §4).
 * Challenges go out as `+ base64`; the client's `*` cancels (`-ERR`); invalid base64 is refused
 * (`-ERR`). `AUTH` without arguments lists the mechanisms, one per line (the RFC 1734 style
 * discovery some clients use, as Dovecot answers it). No SASL payload is ever logged.
 */
import {
  MechanismRefusal,
  SaslExchange,
  decodeBase64Strict,
  parseSaslResponseLine,
  type SaslExchangeStep,
} from '@pigeondeliver/login-common';
import { completeLogin } from '../login-completion.js';
import { Pop3State } from '../pop3-session.js';
import { Pop3Code, TEXT, continuation, err, ok } from '../replies.js';
import { CommandOutcome, type Pop3Command } from './pop3-command.js';

export const authCommand: Pop3Command = {
  name: 'AUTH',
  allowedIn: [Pop3State.Authorization, Pop3State.UserGiven],
  arity: { min: 0, max: 2 },
  async handle(session, command) {
    const { services, connection: conn } = session;
    session.startOver();
    const [mechArg, irArg] = command.args;
    if (mechArg === undefined) {
      session.writeMultiline(ok(), services.sasl.advertised(session.security, services.authenticator));
      return CommandOutcome.Continue;
    }
    const selected = services.sasl.select(mechArg, session.security, services.authenticator);
    if (selected === MechanismRefusal.PrivacyRequired) {
      session.write(err(TEXT.privacyRequired, Pop3Code.Auth));
      return CommandOutcome.Continue;
    }
    if (typeof selected === 'string') {
      session.write(err(TEXT.unsupportedMechanism, Pop3Code.Auth));
      return CommandOutcome.Continue;
    }
    let initial: Buffer | undefined;
    if (irArg !== undefined) {
      initial = irArg === '=' ? Buffer.alloc(0) : decodeBase64Strict(irArg);
      if (!initial) {
        session.badCommands++;
        session.write(err('Invalid base64 data in initial response.'));
        return CommandOutcome.Continue;
      }
    }
    const exchange = new SaslExchange(selected, services.authenticator, {
      sessionId: conn.sessionId,
      protocol: 'pop3',
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
        // RFC 5034 §4: a cancelled exchange is answered with a negative response.
        session.write(err('Authentication canceled.'));
        return CommandOutcome.Continue;
      }
      if (response.kind === 'bad-base64') {
        session.badCommands++;
        session.write(err('Invalid base64 data in continued response.'));
        return CommandOutcome.Continue;
      }
      step = await exchange.respond(response.data);
    }
    if (step.kind === 'malformed') {
      session.badCommands++;
      conn.log.info({ session: conn.sessionId, mechanism: selected.name, reason: step.message }, 'malformed SASL exchange');
      session.write(err(`${step.message}.`.replace(/\.\.$/, '.')));
      return CommandOutcome.Continue;
    }
    return completeLogin(session, selected.name, step.outcome);
  },
};
