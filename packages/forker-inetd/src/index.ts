/**
 * @packageDocumentation
 * pd-forker-inetd: runs from inetd (nowait: one process per connection; wait: accepting until idle).
 * The `bin` entry runs it; the pieces are exported for tests and documentation.
 */
export { INETD_OPTIONS, INETD_OPTION_SPECS } from './inetd-options.js';
export { DescriptorKind, descriptorKind, inetState, unixFlags } from './socket-state.js';
export { InetdService, inetdSettingsOf, type InetdDeps, type InetdSettings } from './inetd-service.js';
export { runInetd } from './inetd-main.js';
export { quietStderr, setQuietLogger } from './quiet-stderr.js';
export { PROGRAM } from './program-name.js';
