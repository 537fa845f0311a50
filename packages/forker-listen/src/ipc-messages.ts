/**
 * Messages between the privileged primary and the unprivileged workers (Node's IPC channel, JSON).
 * The primary treats everything a worker sends as untrusted input: {@link parseWorkerMessage} checks
 * every field before use.
 *
 * Messages without a socket that can wait for the end of the event-loop turn (admission requests,
 * releases, their replies) travel as one {@link MessageBatch} per turn: under load each message alone
 * costs a write(2) and a wake-up of the other process (docs/performance.md, handoff mode).
 */
import type { LaunchRequest, RejectReason, TlsMaterial } from '@pigeondeliver/core';
import type { Binding } from './systemd-activation.js';

/** One listener as the primary planned it (service resolved). */
export interface WorkerListener {
  readonly name: string;
  readonly service: string;
  readonly tls: boolean;
  readonly proxy: boolean;
  readonly bindings: readonly Binding[];
}

/** Where a listener ended up (for the readiness line). */
export interface BoundAddress {
  readonly name: string;
  readonly address: string;
  readonly port: number;
}

/** Primary -> worker. */
export type PrimaryMessage =
  /** `parkMs`: how long the worker may keep finished connections' admissions (parked-admissions.ts); 0: never. */
  | { readonly t: 'init'; readonly generation: number; readonly listeners: readonly WorkerListener[]; readonly tls?: TlsMaterial; readonly parkMs?: number }
  | { readonly t: 'admit-reply'; readonly id: number; readonly reason?: RejectReason }
  | { readonly t: 'launch-reply'; readonly id: number; readonly pid?: number; readonly error?: string }
  | { readonly t: 'delegate-reply'; readonly id: number; readonly result: Readonly<Record<string, unknown>> }
  /** Give back every parked admission, then answer `reclaimed` (admission-reclaim.ts). */
  | { readonly t: 'reclaim' }
  | { readonly t: 'retire' }
  | { readonly t: 'shutdown'; readonly timeoutMs: number };

/** Worker -> primary. */
export type WorkerMessage =
  | { readonly t: 'hello' }
  | { readonly t: 'ready'; readonly listeners: readonly BoundAddress[] }
  | { readonly t: 'fatal'; readonly message: string; readonly exitCode: number }
  | { readonly t: 'admit'; readonly id: number; readonly ip: string }
  | { readonly t: 'release'; readonly ip: string }
  /** Every parked admission was released (the releases came first, in the same batch). */
  | { readonly t: 'reclaimed' }
  | { readonly t: 'launch'; readonly id: number; readonly request: LaunchRequest }
  /** A backend's privileged work with the socket (Dovecot handoff mode, decision 0007 §4); the backend checks `payload`. */
  | { readonly t: 'delegate'; readonly id: number; readonly backend: string; readonly payload: Readonly<Record<string, unknown>> }
  /** A hand-off the worker sends itself, registered first (decision 0007 §5); no socket, no reply; the backend checks `payload`. */
  | { readonly t: 'register'; readonly backend: string; readonly payload: Readonly<Record<string, unknown>> }
  | { readonly t: 'drained' };

/** Several messages of one event-loop turn, in order. */
export interface MessageBatch<M> {
  readonly t: 'batch';
  readonly m: readonly M[];
}

/** The most messages one batch may carry; the senders flush before reaching it. */
export const MAX_BATCH = 1024;

/** `list` as one message: the message itself when alone, else a batch. */
export function batchOf<M>(list: readonly M[]): M | MessageBatch<M> {
  return list.length === 1 ? list[0]! : { t: 'batch', m: list };
}

/** The messages of `raw`: the elements of a batch (at most {@link MAX_BATCH}), else `raw` alone. */
export function unbatch(raw: unknown): readonly unknown[] {
  if (typeof raw === 'object' && raw !== null && (raw as { t?: unknown }).t === 'batch') {
    const list = (raw as { m?: unknown }).m;
    return Array.isArray(list) ? list.slice(0, MAX_BATCH) : [];
  }
  return [raw];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length <= max;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** Validates a message from a worker; undefined when it is not one we know (it is then ignored and logged). */
export function parseWorkerMessage(m: unknown): WorkerMessage | undefined {
  if (!isObj(m) || !isStr(m.t, 16)) return undefined;
  switch (m.t) {
    case 'ready':
      return Array.isArray(m.listeners) && m.listeners.every((l) => isObj(l) && isStr(l.name, 64) && isStr(l.address, 64) && isInt(l.port))
        ? { t: 'ready', listeners: m.listeners as BoundAddress[] }
        : undefined;
    case 'fatal':
      return isStr(m.message, 8192) && isInt(m.exitCode) ? { t: 'fatal', message: m.message, exitCode: m.exitCode } : undefined;
    case 'admit':
      return isInt(m.id) && isStr(m.ip, 64) ? { t: 'admit', id: m.id, ip: m.ip } : undefined;
    case 'release':
      return isStr(m.ip, 64) ? { t: 'release', ip: m.ip } : undefined;
    case 'launch':
      return isInt(m.id) && isLaunchRequest(m.request) ? { t: 'launch', id: m.id, request: m.request } : undefined;
    case 'delegate':
      return isInt(m.id) && isStr(m.backend, 128) && isObj(m.payload) ? { t: 'delegate', id: m.id, backend: m.backend, payload: m.payload } : undefined;
    case 'register':
      return isStr(m.backend, 128) && isObj(m.payload) ? { t: 'register', backend: m.backend, payload: m.payload } : undefined;
    case 'reclaimed':
      return { t: 'reclaimed' };
    case 'drained':
      return { t: 'drained' };
    case 'hello':
      return { t: 'hello' };
    default:
      return undefined;
  }
}

/** Shape check of a LaunchRequest (the launcher itself enforces uid, home roots and the rest). */
export function isLaunchRequest(r: unknown): r is LaunchRequest {
  if (!isObj(r)) return false;
  const env = r.env;
  const home = r.home;
  return (
    isStr(r.sessionId, 128) &&
    isStr(r.command) &&
    Array.isArray(r.args) &&
    r.args.every((a) => isStr(a)) &&
    isObj(env) &&
    Object.values(env).every((v) => isStr(v, 1 << 20)) &&
    isStr(r.cwd) &&
    isInt(r.uid) &&
    isInt(r.gid) &&
    isObj(home) &&
    isStr(home.path) &&
    (home.maildir === undefined || isStr(home.maildir)) &&
    (r.stderr === 'log' || r.stderr === 'ignore') &&
    isStr(r.label, 128)
  );
}
