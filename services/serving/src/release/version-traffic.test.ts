import { describe, expect, it } from 'vitest';
import { VersionTraffic } from './version-traffic';

describe('VersionTraffic', () => {
  it('counts requests and failures per version and reports the p99 latency', () => {
    const traffic = new VersionTraffic();
    for (let i = 1; i <= 100; i++) traffic.record('m@1', i, i % 10 === 0);
    traffic.record('m@2', 5, false);
    expect(traffic.metrics('m@1')).toEqual({ requests: 100, errors: 10, p99LatencyMs: 99 });
    expect(traffic.metrics('m@2')).toEqual({ requests: 1, errors: 0, p99LatencyMs: 5 });
    expect(traffic.metrics('m@3')).toEqual({ requests: 0, errors: 0, p99LatencyMs: 0 });
  });
});
