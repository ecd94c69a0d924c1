/**
 * A real HTTP endpoint serving Prometheus text that a test controls: stands in for the
 * serving gateway's `/metrics` as the canary-analysis source in integration tests. It writes
 * the gateway's metric names, cumulative per version, as prom-client would.
 */
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';

interface VersionTraffic {
  ok: number;
  errors: number;
  /** Every request's latency is put in the bucket just above this many seconds. */
  latencySeconds: number;
}

const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class FakeGatewayMetrics {
  private readonly traffic = new Map<string, VersionTraffic>();
  private server: http.Server | undefined;
  url = '';

  /** Adds requests served by `version` (cumulative, like a counter). */
  serve(version: string, ok: number, errors = 0, latencySeconds = 0.04): void {
    const t = this.traffic.get(version) ?? { ok: 0, errors: 0, latencySeconds };
    this.traffic.set(version, { ok: t.ok + ok, errors: t.errors + errors, latencySeconds });
  }

  render(): string {
    const lines = ['# TYPE crucible_serving_requests_total counter'];
    for (const [v, t] of this.traffic) {
      lines.push(`crucible_serving_requests_total{model_version="${v}",endpoint="/v1/completions",status="200"} ${t.ok}`);
      if (t.errors) lines.push(`crucible_serving_requests_total{model_version="${v}",endpoint="/v1/completions",status="500"} ${t.errors}`);
    }
    lines.push('# TYPE crucible_serving_errors_total counter');
    for (const [v, t] of this.traffic) if (t.errors) lines.push(`crucible_serving_errors_total{code="server_error",status="500",model_version="${v}"} ${t.errors}`);
    lines.push('# TYPE crucible_serving_e2e_request_latency_seconds histogram');
    for (const [v, t] of this.traffic) {
      const total = t.ok + t.errors;
      for (const le of BUCKETS) lines.push(`crucible_serving_e2e_request_latency_seconds_bucket{le="${le}",model_version="${v}"} ${le >= t.latencySeconds ? total : 0}`);
      lines.push(`crucible_serving_e2e_request_latency_seconds_bucket{le="+Inf",model_version="${v}"} ${total}`);
    }
    return `${lines.join('\n')}\n`;
  }

  port = 0;

  /** Listens on `host` (loopback by default; an EndpointSlice may not point at loopback, so discovery tests pass the host's address). */
  async start(host = '127.0.0.1'): Promise<string> {
    this.server = http.createServer((req, res) => {
      if (req.url !== '/metrics') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.render());
    });
    await new Promise<void>((r) => this.server!.listen(0, host, r));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://${host}:${this.port}/metrics`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** This machine's first non-loopback IPv4 address: what an EndpointSlice in a test may point at. */
export function hostAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}
