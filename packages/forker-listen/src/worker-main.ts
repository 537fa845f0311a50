/**
 * Entry point of a worker process (forked by the primary through node:cluster). Client input is
 * parsed here, with the worker user's uid.
 */
import { ListenWorker } from './worker.js';
import { WorkerChannel } from './worker-channel.js';

// The primary decides when workers stop; terminal signals to the process group are not for us.
for (const s of ['SIGINT', 'SIGHUP', 'SIGTERM'] as const) process.on(s, () => undefined);
new ListenWorker(new WorkerChannel(process), process.argv.slice(2)).run();
