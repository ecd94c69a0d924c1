/**
 * Where canary analysis gets per-version traffic numbers. The Prometheus implementation
 * scrapes the serving gateways' `/metrics` and reads the serving service's metric names
 * (services/serving/src/observability/serving-metrics.ts): requests from
 * `crucible_serving_requests_total`, server errors (status ≥ 500) from
 * `crucible_serving_errors_total`, p99 from the `crucible_serving_e2e_request_latency_seconds`
 * histogram. Counters are cumulative per version, which is what @crucible/rollout expects.
 *
 * A Service balances each request to one replica, so scraping through it sees one replica's
 * counters per scrape. Instead every ready pod is scraped: the EndpointSlices of the gateway
 * Services (OPERATOR_METRICS_SERVICES, the chart's gateway) and of the versions' own Services
 * are listed, each ready endpoint's `/metrics` is fetched, and the counters and histogram
 * buckets of all of them are summed. Fixed URLs (OPERATOR_METRICS_URLS) are added as they are.
 */
import type * as k8s from '@kubernetes/client-node';
import type { VersionMetrics } from '@crucible/rollout';
import type { KubeApi } from '../kube/kube-api';
import { histogramQuantile, parsePrometheusText, type Sample } from './prometheus-text';

/** Which Services of the ModelDeployment being analysed carry its versions' traffic. */
export interface MetricsScope {
  namespace: string;
  /** The per-version Services (serving-objects.builder.ts). */
  services: readonly string[];
}

export interface MetricsSource {
  /** Metrics per version id; a version the gateway has not served yet is absent. */
  observe(versions: readonly string[], scope?: MetricsScope): Promise<Map<string, VersionMetrics>>;
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

/** A Service whose ready endpoints are scraped: `name`, `namespace/name`, either with `:port` (a port name or number; default `http`). */
export interface ServiceTarget {
  namespace?: string;
  name: string;
  port: string;
}

export function parseServiceTarget(text: string): ServiceTarget {
  const m = /^(?:([a-z0-9-]+)\/)?([a-z0-9-]+)(?::([A-Za-z0-9-]+))?$/.exec(text.trim());
  if (!m) throw new Error(`expected [namespace/]service[:port], got '${text}'`);
  return { ...(m[1] ? { namespace: m[1] } : {}), name: m[2]!, port: m[3] ?? 'http' };
}

/** The `/metrics` URLs of the ready endpoints of one Service's EndpointSlices (pure). */
export function scrapeUrlsOf(slices: readonly k8s.V1EndpointSlice[], port: string): string[] {
  const urls = new Set<string>();
  for (const slice of slices) {
    const ports = slice.ports ?? [];
    // By name or number; a Service with one unnamed port has slices with one unnamed port.
    const p = ports.find((x) => x.name === port || String(x.port) === port) ?? (ports.length === 1 && !ports[0]!.name ? ports[0] : undefined);
    if (!p?.port) continue;
    for (const endpoint of slice.endpoints ?? []) {
      // EndpointSlice semantics: an absent `ready` is ready; a terminating endpoint is not.
      if (endpoint.conditions?.ready === false || endpoint.conditions?.terminating === true) continue;
      const address = endpoint.addresses[0];
      if (!address) continue;
      const host = slice.addressType === 'IPv6' || address.includes(':') ? `[${address}]` : address;
      urls.add(`http://${host}:${p.port}/metrics`);
    }
  }
  return [...urls];
}

export type Fetcher = (url: string, timeoutMs: number) => Promise<string>;
export type SliceLister = (namespace: string, service: string) => Promise<k8s.V1EndpointSlice[]>;

const httpFetch: Fetcher = async (url, timeoutMs) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.text();
};

/** EndpointSlices of a Service through the API (label `kubernetes.io/service-name`). */
export const apiSliceLister =
  (api: KubeApi): SliceLister =>
  (namespace, service) =>
    api.list<k8s.V1EndpointSlice>('discovery.k8s.io/v1', 'EndpointSlice', namespace, `kubernetes.io/service-name=${service}`);

export interface PrometheusMetricsSourceOptions {
  /** Fixed URLs, scraped as they are (OPERATOR_METRICS_URLS). */
  urls?: readonly string[];
  /** Services whose every ready pod is scraped (OPERATOR_METRICS_SERVICES); a target without a namespace is looked up in the scope's. */
  services?: readonly ServiceTarget[];
  /** Also scrape the ready pods of the versions' own Services (port `http`). Needs `slices`. */
  versionServices?: boolean;
  slices?: SliceLister;
  fetch?: Fetcher;
  timeoutMs?: number;
}

export class PrometheusMetricsSource implements MetricsSource {
  private readonly o: PrometheusMetricsSourceOptions;

  constructor(urlsOrOptions: readonly string[] | PrometheusMetricsSourceOptions, timeoutMs = 5_000) {
    this.o = Array.isArray(urlsOrOptions) ? { urls: urlsOrOptions as readonly string[], timeoutMs } : (urlsOrOptions as PrometheusMetricsSourceOptions);
  }

  /** Every URL to scrape for this scope: the fixed ones and each ready pod behind the Services, once each. */
  async targets(scope?: MetricsScope): Promise<string[]> {
    const urls = new Set(this.o.urls ?? []);
    const { slices } = this.o;
    if (slices) {
      const services: ServiceTarget[] = [
        ...(this.o.services ?? []),
        ...(this.o.versionServices && scope ? scope.services.map((name) => ({ namespace: scope.namespace, name, port: 'http' })) : []),
      ];
      const lists = await Promise.all(
        services.map(async (t) => {
          const namespace = t.namespace ?? scope?.namespace;
          if (!namespace) throw new Error(`metrics Service ${t.name} has no namespace`);
          return scrapeUrlsOf(await slices(namespace, t.name), t.port);
        }),
      );
      for (const u of lists.flat()) urls.add(u);
    }
    return [...urls];
  }

  async observe(versions: readonly string[], scope?: MetricsScope): Promise<Map<string, VersionMetrics>> {
    const fetchText = this.o.fetch ?? httpFetch;
    const timeoutMs = this.o.timeoutMs ?? 5_000;
    const urls = await this.targets(scope);
    const results = await Promise.allSettled(urls.map((url) => fetchText(url, timeoutMs)));
    // A ready replica that cannot be read would hide its traffic: the step waits rather than judge on part of it.
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${urls[i]}: ${(r.reason as Error)?.message ?? String(r.reason)}`] : []));
    if (failed.length) throw new Error(`could not scrape ${failed.length}/${urls.length} gateway replicas (${failed.join('; ')})`);
    const texts = results.map((r) => (r as PromiseFulfilledResult<string>).value);
    return metricsFromSamples(texts.flatMap(parsePrometheusText), versions);
  }
}
