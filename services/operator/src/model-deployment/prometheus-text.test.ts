import { describe, expect, it } from 'vitest';
import { metricsFromSamples } from './metrics-source';
import { histogramQuantile, parsePrometheusText } from './prometheus-text';

const text = `# HELP crucible_serving_requests_total Completed requests.
# TYPE crucible_serving_requests_total counter
crucible_serving_requests_total{model_version="sotu@3",endpoint="/v1/completions",status="200",service="serving"} 900
crucible_serving_requests_total{model_version="sotu@4",endpoint="/v1/completions",status="200",service="serving"} 93
crucible_serving_requests_total{model_version="sotu@4",endpoint="/v1/completions",status="500",service="serving"} 7
crucible_serving_errors_total{code="server_error",status="500",model_version="sotu@4"} 7
crucible_serving_errors_total{code="rate_limit_exceeded",status="429",model_version="sotu@4"} 40
crucible_serving_e2e_request_latency_seconds_bucket{le="0.1",model_version="sotu@4"} 50
crucible_serving_e2e_request_latency_seconds_bucket{le="0.5",model_version="sotu@4"} 98
crucible_serving_e2e_request_latency_seconds_bucket{le="1",model_version="sotu@4"} 100
crucible_serving_e2e_request_latency_seconds_bucket{le="+Inf",model_version="sotu@4"} 100
odd_metric{path="a\\"b"} NaN 1700000000
`;

describe('Prometheus text', () => {
  it('parses samples with labels, escapes and special values', () => {
    const samples = parsePrometheusText(text);
    expect(samples).toHaveLength(10);
    expect(samples.at(-1)).toMatchObject({ name: 'odd_metric', labels: { path: 'a"b' } });
    expect(Number.isNaN(samples.at(-1)!.value)).toBe(true);
  });

  it('computes quantiles like histogram_quantile', () => {
    const buckets = [
      { le: 0.1, count: 50 },
      { le: 0.5, count: 98 },
      { le: 1, count: 100 },
      { le: Number.POSITIVE_INFINITY, count: 100 },
    ];
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.1);
    expect(histogramQuantile(0.99, buckets)).toBeCloseTo(0.75);
    expect(histogramQuantile(0.99, [])).toBeUndefined();
  });

  it('turns the gateway metrics into per-version metrics (server errors only)', () => {
    const m = metricsFromSamples(parsePrometheusText(text), ['sotu@3', 'sotu@4', 'sotu@5']);
    expect(m.get('sotu@4')).toEqual({ requests: 100, errors: 7, p99LatencyMs: 750 });
    expect(m.get('sotu@3')).toEqual({ requests: 900, errors: 0, p99LatencyMs: 0 });
    expect(m.has('sotu@5')).toBe(false);
  });
});
