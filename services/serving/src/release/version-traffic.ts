/**
 * What the embedded release controller judges a canary on: per version, requests and
 * server-side failures since it started serving, and the p99 end-to-end latency of its
 * most recent requests (a bounded window, so memory does not grow with traffic).
 */
import type { VersionMetrics } from '@crucible/rollout';

const LATENCY_WINDOW = 1024;

class VersionCounters {
  requests = 0;
  errors = 0;
  private readonly latencies = new Float64Array(LATENCY_WINDOW);
  private recorded = 0;

  record(latencyMs: number, failed: boolean): void {
    this.requests++;
    if (failed) this.errors++;
    this.latencies[this.recorded++ % LATENCY_WINDOW] = latencyMs;
  }

  p99(): number {
    const n = Math.min(this.recorded, LATENCY_WINDOW);
    if (n === 0) return 0;
    const sorted = Array.from(this.latencies.subarray(0, n)).sort((a, b) => a - b);
    return sorted[Math.min(n - 1, Math.ceil(0.99 * n) - 1)]!;
  }
}

export class VersionTraffic {
  private readonly byVersion = new Map<string, VersionCounters>();

  /** One finished request; `failed` = the server's fault (5xx or a generation error), not the client's. */
  record(versionId: string, latencyMs: number, failed: boolean): void {
    let counters = this.byVersion.get(versionId);
    if (!counters) this.byVersion.set(versionId, (counters = new VersionCounters()));
    counters.record(latencyMs, failed);
  }

  metrics(versionId: string): VersionMetrics {
    const c = this.byVersion.get(versionId);
    return c ? { requests: c.requests, errors: c.errors, p99LatencyMs: c.p99() } : { requests: 0, errors: 0, p99LatencyMs: 0 };
  }
}
