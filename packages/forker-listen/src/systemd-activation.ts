/**
 * systemd socket activation (sd_listen_fds(3), docs/forker-protocols.md §3): listening sockets start
 * at fd 3; LISTEN_FDS says how many, LISTEN_PID whom they are for (ignored when it is not us: a
 * wrapper forked instead of exec'ing), LISTEN_FDNAMES their colon-separated names (FileDescriptorName=,
 * default the unit name with `.socket`). The variables are removed once read, so children do not
 * inherit them.
 */
import type { ListenerSpec } from './listener-spec.js';

/** SD_LISTEN_FDS_START. */
export const LISTEN_FDS_START = 3;

/** One socket passed by systemd. */
export interface ActivatedSocket {
  readonly fd: number;
  /** Its name, with a trailing `.socket` removed. */
  readonly name: string;
}

/** Reads and removes the LISTEN_* variables; [] when there are none for this process. */
export function takeActivatedSockets(env: NodeJS.ProcessEnv = process.env, pid: number = process.pid): ActivatedSocket[] {
  const count = env.LISTEN_FDS;
  const forPid = env.LISTEN_PID;
  const names = env.LISTEN_FDNAMES;
  delete env.LISTEN_FDS;
  delete env.LISTEN_PID;
  delete env.LISTEN_FDNAMES;
  if (count === undefined || forPid === undefined || Number(forPid) !== pid) return [];
  if (!/^\d{1,4}$/.test(count)) throw new Error(`LISTEN_FDS="${count}" is not a number of sockets`);
  const n = Number(count);
  const nameList = names ? names.split(':') : [];
  const out: ActivatedSocket[] = [];
  for (let i = 0; i < n; i++) out.push({ fd: LISTEN_FDS_START + i, name: (nameList[i] ?? 'unknown').replace(/\.socket$/, '') });
  return out;
}

/** Where one listener's sockets come from. */
export type Binding = { readonly kind: 'address'; readonly address: string; readonly port: number } | { readonly kind: 'fd'; readonly fd: number };

/** A listener with the sockets it will serve. */
export interface PlannedListener {
  readonly spec: ListenerSpec;
  readonly bindings: readonly Binding[];
}

/**
 * Maps sockets to listeners: every socket goes to the listener entries of its name (the first entry of
 * that name takes them, the others of that name are dropped: systemd owns the addresses); entries
 * without sockets are bound by us. With a single listener name, unnamed sockets (`unknown`) go to it.
 * Throws Error for a socket no listener claims, or a `NAME=systemd` entry that got no socket.
 */
export function planListeners(specs: readonly ListenerSpec[], sockets: readonly ActivatedSocket[]): PlannedListener[] {
  const names = [...new Set(specs.map((s) => s.name))];
  const byName = new Map<string, number[]>();
  for (const s of sockets) {
    const name = s.name === 'unknown' && names.length === 1 ? names[0]! : s.name;
    if (!names.includes(name)) {
      throw new Error(`systemd passed socket "${s.name}" (fd ${s.fd}) but the listen option has no listener of that name (listeners: ${names.join(', ')})`);
    }
    byName.set(name, [...(byName.get(name) ?? []), s.fd]);
  }
  const out: PlannedListener[] = [];
  const taken = new Set<string>();
  for (const spec of specs) {
    const fds = byName.get(spec.name);
    if (fds) {
      if (taken.has(spec.name)) continue;
      taken.add(spec.name);
      out.push({ spec, bindings: fds.map((fd) => ({ kind: 'fd', fd })) });
      continue;
    }
    if (spec.address === undefined) throw new Error(`listener "${spec.text}" expects a socket from systemd, but none named "${spec.name}" was passed`);
    out.push({ spec, bindings: [{ kind: 'address', address: spec.address, port: spec.port }] });
  }
  return out;
}
