/** Shared by the daemon integration tests: start pd-forker-listen with the fake echo plugins. */
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { echoPluginArgs, startDaemon, type RunningDaemon } from '@pigeondeliver/test-fixtures/daemon';
import { ScriptedClient } from '@pigeondeliver/test-fixtures/scripted-client';
import { createTempDir } from '@pigeondeliver/test-fixtures/temp-dir';

/** The daemon's entry point (compiled). */
export const LISTEN_BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** Where launched sessions get their homes (one folder for the whole test run). */
const homes = createTempDir('pd-listen-homes-');

/** `-o` arguments for a daemon on 127.0.0.1:0 with the echo plugins and two workers. */
export function echoArgs(extra: readonly string[] = []): string[] {
  return [
    ...echoPluginArgs(),
    '-o', 'listen=echo=127.0.0.1:0',
    '-o', 'listen_workers=2',
    '-o', `echo_home_root=${homes.path}`,
    '-o', `home_roots=${homes.path}`,
    '-o', 'first_valid_uid=100',
    ...extra,
  ];
}

/** Starts the daemon with {@link echoArgs}. */
export function startEchoDaemon(extra: readonly string[] = []): Promise<RunningDaemon> {
  return startDaemon({ bin: LISTEN_BIN, args: echoArgs(extra) });
}

/** Connects (from `localAddress` when given, e.g. another loopback address) and wraps the socket in a line client. */
export function connectClient(port: number, host = '127.0.0.1', localAddress?: string): Promise<{ socket: Socket; client: ScriptedClient }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, localAddress });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve({ socket, client: new ScriptedClient(socket, 10_000) });
    });
  });
}

/** Resolves when the socket is closed by the peer, with everything it sent. */
export function readUntilClosed(socket: Socket, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const t = setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms; got ${JSON.stringify(text)}`)), timeoutMs);
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(t);
      resolve(text);
    });
  });
}

/** Logs in on a fresh connection and returns the client in the launched session. */
export async function loginSession(port: number, user = 'bob'): Promise<{ socket: Socket; client: ScriptedClient; greeting: string; ok: string }> {
  const c = await connectClient(port);
  const greeting = await c.client.readLine();
  c.client.send(`a LOGIN ${user} secret`);
  const ok = await c.client.readLine();
  return { ...c, greeting, ok };
}
