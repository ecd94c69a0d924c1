import type * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { PrometheusMetricsSource, parseServiceTarget, scrapeUrlsOf } from './metrics-source';

/** One gateway replica's /metrics: cumulative counters and latency buckets per version, as prom-client writes them. */
function replica(traffic: Record<string, { ok: number; errors?: number; slow?: number }>): string {
  const lines: string[] = [];
  for (const [v, t] of Object.entries(traffic)) {
    const errors = t.errors ?? 0;
    const slow = t.slow ?? 0;
    const total = t.ok + errors;
    lines.push(`crucible_serving_requests_total{model_version="${v}",status="200"} ${t.ok}`);
    if (errors) lines.push(`crucible_serving_requests_total{model_version="${v}",status="503"} ${errors}`, `crucible_serving_errors_total{model_version="${v}",status="503"} ${errors}`);
    for (const le of ['0.1', '1', '+Inf']) lines.push(`crucible_serving_e2e_request_latency_seconds_bucket{le="${le}",model_version="${v}"} ${le === '0.1' ? total - slow : total}`);
  }
  return lines.join('\n');
}

const slice = (endpoints: k8s.V1Endpoint[], ports: k8s.DiscoveryV1EndpointPort[] = [{ name: 'http', port: 8080 }]): k8s.V1EndpointSlice => ({
  addressType: 'IPv4',
  endpoints,
  ports,
});

describe('canary metrics from every ready replica', () => {
  it('scrapes each ready endpoint of the Service’s slices once, on the named port', () => {
    const slices = [
      slice([
        { addresses: ['10.0.0.1'], conditions: { ready: true } },
        { addresses: ['10.0.0.2'] }, // no conditions: ready
        { addresses: ['10.0.0.3'], conditions: { ready: false } },
        { addresses: ['10.0.0.4'], conditions: { ready: true, terminating: true } },
      ]),
      slice([{ addresses: ['10.0.0.1'], conditions: { ready: true } }, { addresses: ['10.0.1.9'], conditions: { ready: true } }]),
      slice([{ addresses: ['10.0.0.8'] }], [{ name: 'grpc', port: 9000 }]),
    ];
    expect(scrapeUrlsOf(slices, 'http')).toEqual(['http://10.0.0.1:8080/metrics', 'http://10.0.0.2:8080/metrics', 'http://10.0.1.9:8080/metrics']);
    expect(scrapeUrlsOf([{ addressType: 'IPv6', endpoints: [{ addresses: ['fd00::1'] }], ports: [{ port: 8080 }] }], 'http')).toEqual(['http://[fd00::1]:8080/metrics']);
    expect(scrapeUrlsOf(slices, '9000')).toEqual(['http://10.0.0.8:9000/metrics']);
  });

  it('sums counters and histogram buckets over all replicas, so analysis sees all traffic', async () => {
    const texts: Record<string, string> = {
      'http://10.0.0.1:8080/metrics': replica({ 'sotu@3': { ok: 60 }, 'sotu@4': { ok: 5, errors: 1 } }),
      'http://10.0.0.2:8080/metrics': replica({ 'sotu@3': { ok: 40 }, 'sotu@4': { ok: 14, errors: 0, slow: 1 } }),
      'http://10.0.9.9:8080/metrics': replica({ 'sotu@4': { ok: 20 } }), // the version's own pod
    };
    const listed: string[] = [];
    const source = new PrometheusMetricsSource({
      services: [parseServiceTarget('crucible-serving')],
      versionServices: true,
      slices: async (namespace, service) => {
        listed.push(`${namespace}/${service}`);
        if (service === 'crucible-serving') return [slice([{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }])];
        if (service === 'sotu-sotu-v4') return [slice([{ addresses: ['10.0.9.9'] }])];
        return [];
      },
      fetch: async (url) => texts[url]!,
    });
    const m = await source.observe(['sotu@4', 'sotu@3'], { namespace: 'ml', services: ['sotu-sotu-v4', 'sotu-sotu-v3'] });
    expect(listed.sort()).toEqual(['ml/crucible-serving', 'ml/sotu-sotu-v3', 'ml/sotu-sotu-v4']);
    expect(m.get('sotu@3')).toMatchObject({ requests: 100, errors: 0 });
    expect(m.get('sotu@4')).toMatchObject({ requests: 40, errors: 1 });
    // 40 requests, 1 above 0.1 s: p99 (rank 39.6) falls in the (0.1, 1] bucket.
    expect(m.get('sotu@4')!.p99LatencyMs).toBeGreaterThan(100);
    // One replica alone, as a scrape through the Service would see it, undercounts.
    expect(m.get('sotu@3')!.requests).toBeGreaterThan(60);
  });

  it('waits rather than judge on part of the traffic: an unreadable ready replica fails the observation', async () => {
    const source = new PrometheusMetricsSource({
      services: [{ namespace: 'crucible', name: 'gw', port: 'http' }],
      slices: async () => [slice([{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }])],
      fetch: async (url) => (url.includes('10.0.0.2') ? Promise.reject(new Error('ECONNREFUSED')) : replica({ 'a@1': { ok: 1 } })),
    });
    await expect(source.observe(['a@1'])).rejects.toThrow(/could not scrape 1\/2 gateway replicas.*10\.0\.0\.2.*ECONNREFUSED/);
  });

  it('parses Service targets', () => {
    expect(parseServiceTarget('crucible-serving')).toEqual({ name: 'crucible-serving', port: 'http' });
    expect(parseServiceTarget('ml/gw:8080')).toEqual({ namespace: 'ml', name: 'gw', port: '8080' });
    expect(() => parseServiceTarget('http://gw/metrics')).toThrow(/namespace\/]service/);
  });
});
