/**
 * The end of LOGIN and AUTHENTICATE: the authenticator's outcome becomes an RFC 5530 reply, or, on
 * success, the session is handed to the routed backend, which answers the tagged command itself.
 */
import { AuthResult, type AuthOutcome } from '@pigeondeliver/core';
import { CommandOutcome } from './commands/imap-command.js';
import { ImapState, type ImapSession } from './imap-session.js';
import { ImapReply, TEXT, tagged, untagged } from './replies.js';

/** Replies to a finished authentication attempt, or hands the session over. */
export async function completeLogin(session: ImapSession, tag: string, mechanism: string, outcome: AuthOutcome): Promise<CommandOutcome> {
  switch (outcome.result) {
    case AuthResult.Ok:
      return handOff(session, tag, mechanism, outcome);
    case AuthResult.TempFail:
      session.write(tagged(tag, ImapReply.No, TEXT.tempFail, 'UNAVAILABLE'));
      return CommandOutcome.Continue;
    case AuthResult.UserDisabled:
      session.write(tagged(tag, ImapReply.No, TEXT.disabled, 'CONTACTADMIN'));
      return CommandOutcome.Continue;
    case AuthResult.ProtocolNotAllowed:
      session.write(tagged(tag, ImapReply.No, TEXT.protocolDenied, 'AUTHORIZATIONFAILED'));
      return CommandOutcome.Continue;
    case AuthResult.BadCredentials:
    default:
      return authFailed(session, tag);
  }
}

/** `NO [AUTHENTICATIONFAILED]`, and `* BYE` once Limits.maxAuthAttempts failures are reached. */
export function authFailed(session: ImapSession, tag: string): CommandOutcome {
  session.authFailures++;
  session.write(tagged(tag, ImapReply.No, TEXT.authFailed, 'AUTHENTICATIONFAILED'));
  if (session.authFailures >= session.services.limits.maxAuthAttempts) {
    session.write(untagged(`${ImapReply.Bye} ${TEXT.tooManyAuth}`));
    session.state = ImapState.Done;
    return CommandOutcome.Close;
  }
  return CommandOutcome.Continue;
}

async function handOff(session: ImapSession, tag: string, mechanism: string, outcome: AuthOutcome): Promise<CommandOutcome> {
  const user = outcome.user!;
  // The login command is complete: stop reading; whatever follows belongs to the backend.
  const pipelined = session.reader.detach();
  session.state = ImapState.Done;
  const result = await session.services.router.handoff({
    connection: session.connection,
    protocol: 'imap',
    user,
    mechanism,
    loginTag: tag,
    capabilityRequested: session.capabilityRequested,
    pipelined,
  });
  if (result.ok) return CommandOutcome.HandedOff;
  session.state = ImapState.NotAuthenticated;
  session.reader.reattach(pipelined);
  session.write(tagged(tag, ImapReply.No, TEXT.backendFailed, 'UNAVAILABLE'));
  return CommandOutcome.Continue;
}
