/** Latency samples -> percentiles (exact: samples are kept, the counts per cell are bounded). */

/** Summary of one set of latencies, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Collects latencies. */
export class LatencyRecorder {
  private readonly samples: number[] = [];

  /** Adds one latency in milliseconds. */
  record(ms: number): void {
    this.samples.push(ms);
  }

  /** Nearest-rank percentiles of everything recorded. */
  summary(): LatencySummary {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number));
    return { count: sorted.length, p50Ms: round(at(0.5)), p99Ms: round(at(0.99)), maxMs: round(at(1)) };
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
