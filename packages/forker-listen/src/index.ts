/**
 * @packageDocumentation
 * pd-forker-listen: the standalone daemon (also under systemd socket activation). The `bin` entry
 * runs it; the pieces are exported for tests and for other launchers.
 */
export { LISTEN_OPTION, LISTEN_OPTIONS, LISTEN_OPTION_SPECS } from './listen-options.js';
export { parseListeners, serviceOf, type ListenerSpec } from './listener-spec.js';
export { planListeners, takeActivatedSockets, LISTEN_FDS_START, type ActivatedSocket, type Binding, type PlannedListener } from './systemd-activation.js';
export {
  decodeProxyHeader,
  readProxyHeader,
  ProxyHeaderError,
  ProxyHeaderFailure,
  MAX_V1_HEADER,
  MAX_V2_HEADER,
  type ProxyHeader,
  type DecodeResult,
} from './proxy-header.js';
export { Admission, type AdmissionLimits } from './admission.js';
export { AdmissionReclaim, MAX_DEFERRED, RECLAIM_INTERVAL_MS, RECLAIM_WAIT_MS, type ReclaimHost } from './admission-reclaim.js';
export { MAX_PARKED, PARK_MS, ParkedAdmissions } from './parked-admissions.js';
export { launchAllowList, hostedArgv } from './hosted-backends.js';
export { ListenDaemon, WorkerStartupError, type LauncherFactory } from './primary.js';
export { resolveWorkerUser, type WorkerUser } from './worker-user.js';
export { LATER_MS, WorkerChannel, type IpcEndpoint, type NoticeTiming } from './worker-channel.js';
export { batchOf, unbatch, MAX_BATCH, parseWorkerMessage, type MessageBatch, type PrimaryMessage, type WorkerMessage } from './ipc-messages.js';
