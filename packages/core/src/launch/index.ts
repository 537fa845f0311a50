/**
 * The local hand-off: the in-process session launcher and what backends and forkers share to start a
 * mail server process as the user (privilege switching, home creation, socket pair, relay).
 */
export { LocalSessionLauncher, type LauncherSettings, type StderrMode } from './local-session-launcher.js';
export { dropPrivileges, withPrivileges, asUser, privilegesDropped } from './privileges.js';
export { ensureUserHome, homeRootOf, type HomeOutcome, type HomeSpec } from './home-directory.js';
export { detachSocketReader, reattachSocketReader } from './socket-detach.js';
export { createSocketPair, type SocketPair } from './socket-pair.js';
export { relayAfterFirstChunk, relayStreams, waitForFirstChunk, RELAY_LINGER_MS, type RelayStart } from './relay.js';
export { killProcessGroup } from './process-group.js';
export { logStderrLines, MAX_STDERR_LINE } from './stderr-lines.js';
export { openSharedStderr, type SharedStderr } from './shared-stderr.js';
export {
  assertSafeLogin,
  expandHomeTemplate,
  identitySettingsFromOptions,
  resolveSessionIdentity,
  type IdentitySettings,
  type SessionIdentity,
} from './session-identity.js';
export { handOffSession, type HandOffMode, type HandOffSpec } from './hand-off.js';
