/**
 * Worker thread entry: runs {@link runCryptTask} for each message so SHA-crypt, MD5-crypt and bcrypt
 * never block the event loop of the login process.
 */
import { parentPort } from 'node:worker_threads';
import { runCryptTask, type CryptReply, type CryptTask } from './crypt-task.js';

if (!parentPort) throw new Error('crypt-worker.js must run as a worker thread');
const port = parentPort;

port.on('message', (task: CryptTask) => {
  let reply: CryptReply;
  try {
    reply = { ok: true, result: runCryptTask(task) };
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
