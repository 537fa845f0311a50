/** The jobs the load-generator process runs, and their results (JSON across the process boundary). */
import type { Protocol } from './dialogues.js';
import type { Endpoint } from './line-client.js';
import type { LatencySummary } from './histogram.js';

/** connect, greeting, login, logout, close, repeated by `concurrency` clients for `durationMs`. */
export interface LoginJob {
  readonly kind: 'logins';
  readonly endpoint: Endpoint;
  readonly protocol: Protocol;
  readonly user: string;
  readonly password: string;
  readonly concurrency: number;
  readonly durationMs: number;
  /** Upper bound of sessions started, so a cell stays bounded even when the server is fast. */
  readonly maxSessions: number;
  /** true: the login is expected to be refused at the backend step (auth-only cells). */
  readonly expectRefusal: boolean;
}

/** Result of a {@link LoginJob}. */
export interface LoginJobResult {
  readonly kind: 'logins';
  readonly completed: number;
  readonly errors: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
  readonly latency: LatencySummary;
  /** A few distinct error messages, for the report. */
  readonly errorSamples: string[];
}

/** Open `count` connections, read each greeting, hold them until told to release. */
export interface IdleJob {
  readonly kind: 'idle';
  readonly endpoint: Endpoint;
  readonly protocol: Protocol;
  readonly count: number;
  /** Connections being opened at once. */
  readonly openConcurrency: number;
}

/** Result of an {@link IdleJob} (printed once all are held, before release). */
export interface IdleJobResult {
  readonly kind: 'idle';
  readonly held: number;
  readonly errors: number;
  readonly openMs: number;
  readonly errorSamples: string[];
}

/** Log in once and download message 1 `repetitions` times (one session each). */
export interface FetchJob {
  readonly kind: 'fetch';
  readonly endpoint: Endpoint;
  readonly protocol: Protocol;
  readonly user: string;
  readonly password: string;
  readonly repetitions: number;
}

/** Result of a {@link FetchJob}. */
export interface FetchJobResult {
  readonly kind: 'fetch';
  readonly bytes: number;
  readonly transferMs: number;
  readonly megabytesPerSecond: number;
  readonly errors: number;
  readonly errorSamples: string[];
}

/** Any job. */
export type LoadJob = LoginJob | IdleJob | FetchJob;
/** Any result. */
export type LoadJobResult = LoginJobResult | IdleJobResult | FetchJobResult;
