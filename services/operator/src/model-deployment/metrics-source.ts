/**
 * Where canary analysis gets per-version traffic numbers. The Prometheus implementation
 * scrapes the serving gateways' `/metrics` (one URL per gateway replica, summed) and reads
 * the serving service's metric names (services/serving/src/observability/serving-metrics.ts):
 * requests from `crucible_serving_requests_total`, server errors (status ≥ 500) from
 * `crucible_serving_errors_total`, p99 from the `crucible_serving_e2e_request_latency_seconds`
 * histogram. Counters are cumulative per version, which is what @crucible/rollout expects.
 */
import type { VersionMetrics } from '@crucible/rollout';
import { histogramQuantile, parsePrometheusText, type Sample } from './prometheus-text';

export interface MetricsSource {
  /** Metrics per version id; a version the gateway has not served yet is absent. */
  observe(versions: readonly string[]): Promise<Map<string, VersionMetrics>>;
}

export const SERVING_METRICS = {
  requests: 'crucible_serving_requests_total',
  errors: 'crucible_serving_errors_total',
  latencyBucket: 'crucible_serving_e2e_request_latency_seconds_bucket',
  versionLabel: 'model_version',
} as const;

export function metricsFromSamples(samples: readonly Sample[], versions: readonly string[]): Map<string, VersionMetrics> {
  const out = new Map<string, VersionMetrics>();
  for (const version of versions) {
    const mine = samples.filter((s) => s.labels[SERVING_METRICS.versionLabel] === version);
    if (mine.length === 0) continue;
    const sum = (pred: (s: Sample) => boolean) => mine.filter(pred).reduce((acc, s) => acc + s.value, 0);
    const requests = sum((s) => s.name === SERVING_METRICS.requests);
    const errors = sum((s) => s.name === SERVING_METRICS.errors && Number(s.labels.status ?? 500) >= 500);
    const byLe = new Map<number, number>();
    for (const s of mine.filter((x) => x.name === SERVING_METRICS.latencyBucket)) {
      const le = s.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.labels.le);
      byLe.set(le, (byLe.get(le) ?? 0) + s.value);
    }
    const p99 = histogramQuantile(0.99, [...byLe].map(([le, count]) => ({ le, count })));
    out.set(version, { requests, errors, p99LatencyMs: p99 === undefined ? 0 : Math.round(p99 * 1000 * 10) / 10 });
  }
  return out;
}

export class PrometheusMetricsSource implements MetricsSource {
  constructor(
    private readonly urls: readonly string[],
    private readonly timeoutMs = 5_000,
  ) {}

  async observe(versions: readonly string[]): Promise<Map<string, VersionMetrics>> {
    const texts = await Promise.all(
      this.urls.map(async (url) => {
        const res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
        if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
        return res.text();
      }),
    );
    return metricsFromSamples(texts.flatMap(parsePrometheusText), versions);
  }
}
