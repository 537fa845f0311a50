/**
 * Greeting first (docs/architecture.md "Greeting first"): a one-process-per-connection forker writes
 * the login service's greeting from raw options, then loads the application while the client reads
 * it and types; the login service continues the same session (`handle(conn, greeted)`). If the
 * application then fails to load (a configuration error found by full validation), the client gets
 * the protocol's "unavailable" reply and the forker logs the error as usual.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { EarlyGreeting, GreetingFacts } from '../contracts/greeter.js';
import { CORE_OPTIONS } from '../core-options.js';
import { defaultPluginSearch } from '../plugin-loader.js';
import { socketEndpoints } from '../connection/endpoints.js';
import { NetworkSet } from '../network/cidr.js';
import { rawLookup, rawOptionValue, type RawOptionLookup, type RawOptions } from '../raw-options.js';
import { findGreeter } from './greeter-loader.js';

/**
 * The greeting of the login service named by `dscm_service`, computed by its light greeter; undefined
 * when there is none or it cannot decide (a bad value: full validation will name it), and the forker
 * then greets through the full service as before.
 */
export async function earlyGreeting(options: RawOptions, facts: GreetingFacts): Promise<EarlyGreeting | undefined> {
  const lookup = rawLookup(options.raw);
  try {
    const search = defaultPluginSearch(rawOptionValue(lookup, CORE_OPTIONS.pluginPath), options.configFile);
    const greeter = await findGreeter(rawOptionValue(lookup, CORE_OPTIONS.service).trim(), search);
    return greeter?.greet(lookup, facts);
  } catch {
    return undefined;
  }
}

/**
 * Whether `trusted_networks` (read raw) contains the client of `socket`: the greeting's LOGINDISABLED
 * depends on it. False when unknown or the value is bad: full validation names a bad value after the
 * greeting, which then becomes the "unavailable" reply.
 */
export function trustedEarly(lookup: RawOptionLookup, socket: Socket): boolean {
  try {
    return new NetworkSet(rawOptionValue(lookup, CORE_OPTIONS.trustedNetworks)).contains(socketEndpoints(socket).remote.address);
  } catch {
    return false;
  }
}

/** Writes a greeting (or any protocol line) with its CRLF. */
export function writeLine(stream: Duplex, line: string): void {
  stream.write(`${line}\r\n`);
}

/** Sends the "unavailable" reply and ends our side; resolves when flushed (at most 1 s). */
export function sayUnavailable(stream: Duplex, greeting: EarlyGreeting): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, 1000);
    t.unref();
    if (stream.destroyed || stream.writableEnded) return resolve();
    stream.on('error', () => resolve());
    stream.end(`${greeting.unavailable}\r\n`, () => {
      clearTimeout(t);
      resolve();
    });
  });
}
