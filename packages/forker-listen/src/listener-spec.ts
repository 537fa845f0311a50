/**
 * The `listen` option syntax: comma-separated entries `NAME=ADDRESS:PORT[/FLAG]...`.
 *
 * - NAME: letters, digits, `_`, `-` (the systemd FileDescriptorName= that maps a socket to the entry).
 * - ADDRESS: IPv4 (`0.0.0.0`), IPv6 in brackets (`[::]`, `[::1]`), or `*` (= `[::]`, dual stack).
 *   With systemd socket activation an entry may say `NAME=systemd` (no address of its own).
 * - FLAGS: `tls` (implicit TLS, RFC 8314 §3.3), `proxy` (PROXY protocol v1/v2 header required, only
 *   from listen_proxy_networks), `service=PLUGIN` (login service; default from the name: `imap*` ->
 *   login-imap, `pop3*` -> login-pop3, otherwise the dscm_service option).
 *
 * Several entries may share a name (one service on several addresses).
 */
import { isIP } from 'node:net';

/** One `listen` entry. */
export interface ListenerSpec {
  readonly name: string;
  /** Bind address (canonical), or undefined for `NAME=systemd` (socket comes from systemd only). */
  readonly address?: string;
  readonly port: number;
  readonly tls: boolean;
  readonly proxy: boolean;
  /** Explicit `service=` flag, or the service implied by the name; undefined: use dscm_service. */
  readonly service?: string;
  /** The entry as written, for messages. */
  readonly text: string;
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const PLUGIN = /^[a-z0-9][a-z0-9._-]*$/i;

/** Parses the option value; throws Error naming the entry at fault and what was expected. */
export function parseListeners(raw: string): ListenerSpec[] {
  const entries = raw.split(',').map((e) => e.trim()).filter((e) => e.length > 0);
  if (entries.length === 0) throw new Error('no listener given (expected e.g. "imap=[::]:143")');
  return entries.map(parseEntry);
}

function parseEntry(text: string): ListenerSpec {
  const bad = (why: string) => new Error(`listener "${text}": ${why}`);
  const eq = text.indexOf('=');
  if (eq <= 0) throw bad('expected NAME=ADDRESS:PORT, e.g. imap=127.0.0.1:143');
  const name = text.slice(0, eq).trim();
  if (!NAME.test(name)) throw bad(`name "${name}" may only contain letters, digits, _ and -`);
  const [where = '', ...flags] = text.slice(eq + 1).trim().split('/').map((f) => f.trim());
  let tls = false;
  let proxy = false;
  let service = impliedService(name);
  for (const flag of flags) {
    if (flag === 'tls') tls = true;
    else if (flag === 'proxy') proxy = true;
    else if (flag.startsWith('service=')) {
      const s = flag.slice('service='.length);
      if (!PLUGIN.test(s)) throw bad(`service "${s}" is not a plugin name (e.g. login-imap; scoped packages and paths go in dscm_service)`);
      service = s;
    } else throw bad(`unknown flag "${flag}" (known: tls, proxy, service=NAME)`);
  }
  if (where === 'systemd') return { name, port: 0, tls, proxy, service, text };
  const { address, port } = parseAddress(where, bad);
  return { name, address, port, tls, proxy, service, text };
}

function parseAddress(where: string, bad: (why: string) => Error): { address: string; port: number } {
  let host: string;
  let portText: string;
  if (where.startsWith('[')) {
    const close = where.indexOf(']');
    if (close < 0 || where[close + 1] !== ':') throw bad('an IPv6 address is written [ADDRESS]:PORT');
    host = where.slice(1, close);
    portText = where.slice(close + 2);
    if (isIP(host) !== 6) throw bad(`"${host}" is not an IPv6 address`);
  } else {
    const colon = where.lastIndexOf(':');
    if (colon < 0) throw bad('missing :PORT');
    host = where.slice(0, colon);
    portText = where.slice(colon + 1);
    if (host === '*') host = '::';
    else if (host.includes(':')) throw bad('put an IPv6 address in brackets: [ADDRESS]:PORT');
    else if (isIP(host) !== 4) throw bad(`"${host}" is not an IPv4 address (host names are not resolved)`);
  }
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw bad(`port "${portText}" must be 0..65535`);
  return { address: host.toLowerCase(), port: Number(portText) };
}

/** `imap`, `imaps`, `imap-internal` -> login-imap; `pop3`, `pop3s` -> login-pop3. */
function impliedService(name: string): string | undefined {
  const n = name.toLowerCase();
  if (n.startsWith('imap')) return 'login-imap';
  if (n.startsWith('pop3')) return 'login-pop3';
  return undefined;
}

/** The login service an entry runs: its own, or `fallback` (dscm_service). Throws when neither is set. */
export function serviceOf(spec: ListenerSpec, fallback: string): string {
  const s = spec.service ?? fallback;
  if (!s) throw new Error(`listener "${spec.text}": no login service: add /service=login-imap or set dscm_service`);
  return s;
}
