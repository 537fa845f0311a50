/**
 * The end of PASS, APOP and AUTH: the authenticator's outcome becomes an RFC 3206 reply, or, on
 * success, the session is handed to the routed backend, which answers `+OK` itself (Dovecot's and
 * Courier's pop3 do on start); we answer only when the handoff fails.
 */
import { AuthResult, type AuthOutcome } from '@pigeondeliver/core';
import { CommandOutcome } from './commands/pop3-command.js';
import { Pop3State, type Pop3Session } from './pop3-session.js';
import { Pop3Code, TEXT, err } from './replies.js';

/** Replies to a finished authentication attempt, or hands the session over. */
export async function completeLogin(session: Pop3Session, mechanism: string, outcome: AuthOutcome): Promise<CommandOutcome> {
  session.startOver();
  switch (outcome.result) {
    case AuthResult.Ok:
      return handOff(session, mechanism, outcome);
    case AuthResult.TempFail:
      // RFC 3206 §4: a database outage or timeout is temporary, never "bad password".
      session.write(err(TEXT.tempFail, Pop3Code.SysTemp));
      return CommandOutcome.Continue;
    case AuthResult.UserDisabled:
      // DESIGN.md: a disabled account is `-ERR [AUTH]` (only told after the password was proven).
      session.write(err(TEXT.disabled, Pop3Code.Auth));
      return CommandOutcome.Continue;
    case AuthResult.ProtocolNotAllowed:
      // RFC 3206 §4 SYS/PERM: retrying or asking for the password again cannot help.
      session.write(err(TEXT.protocolDenied, Pop3Code.SysPerm));
      return CommandOutcome.Continue;
    case AuthResult.BadCredentials:
    default:
      return authFailed(session);
  }
}

/**
 * `-ERR [AUTH] Authentication failed.`, or, once Limits.maxAuthAttempts failures are reached,
 * `-ERR [AUTH] Too many authentication failures.` and a close (POP3 has one reply per command).
 */
export function authFailed(session: Pop3Session): CommandOutcome {
  session.authFailures++;
  if (session.authFailures >= session.services.limits.maxAuthAttempts) {
    session.write(err(TEXT.tooManyAuth, Pop3Code.Auth));
    session.state = Pop3State.Done;
    return CommandOutcome.Close;
  }
  session.write(err(TEXT.authFailed, Pop3Code.Auth));
  return CommandOutcome.Continue;
}

async function handOff(session: Pop3Session, mechanism: string, outcome: AuthOutcome): Promise<CommandOutcome> {
  const user = outcome.user!;
  // The login command is complete: stop reading; whatever follows (PIPELINING) belongs to the backend.
  const pipelined = session.reader.detach();
  session.state = Pop3State.Done;
  const result = await session.services.router.handoff({
    connection: session.connection,
    protocol: 'pop3',
    user,
    mechanism,
    loginTag: '',
    capabilityRequested: false,
    pipelined,
    hops: session.hops,
  });
  if (result.ok) return CommandOutcome.HandedOff;
  session.state = Pop3State.Authorization;
  session.reader.reattach(pipelined);
  session.write(err(TEXT.backendFailed, Pop3Code.SysTemp));
  return CommandOutcome.Continue;
}
