/**
 * @packageDocumentation
 * pd-forker-postfix: runs as a Postfix master(8) service from master.cf. The `bin` entry runs it;
 * the pieces are exported for tests and documentation.
 */
export { parseMasterArgv, settingsToArgv, type MasterArguments, type MasterSetting } from './master-argv.js';
export {
  encodeStatus,
  MasterAvailability,
  MasterStatusChannel,
  MASTER_LISTEN_FD,
  MASTER_STATUS_FD,
  parseGeneration,
  requireSocketDescriptor,
} from './master-status.js';
export { POSTFIX_OPTIONS, POSTFIX_OPTION_SPECS, type PostfixModel } from './postfix-options.js';
export { childSettingsOf, defaultBackendStderr, PostfixChild, type PostfixChildDeps, type PostfixChildSettings } from './postfix-child.js';
export { formatForPostlog, postlogTag, PostlogSink, StderrSink, type LogSink } from './postlog-sink.js';
export { installWrapper, parseInstallArgv, postfixDaemonDirectory, wrapperText, type InstallSettings } from './install.js';
export { runPostfixChild } from './postfix-main.js';
export { PROGRAM } from './program-name.js';
