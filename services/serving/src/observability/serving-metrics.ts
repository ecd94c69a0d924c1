/**
 * The gateway's Prometheus metrics, all labelled by the exact model version served, named
 * like vLLM's (`time_to_first_token`, `time_per_output_token`, `e2e_request_latency`) so
 * existing dashboards translate. Latencies in seconds, per Prometheus convention.
 */
import type { Metrics } from '@crucible/service-kit';
import type { Counter, Gauge, Histogram } from 'prom-client';
import type { SchedulerObserver } from '../engine/batch-scheduler';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const PER_TOKEN_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128];

type VersionLabel = 'model_version';

export class ServingMetrics {
  readonly timeToFirstToken: Histogram<VersionLabel>;
  readonly timePerOutputToken: Histogram<VersionLabel>;
  readonly e2eLatency: Histogram<VersionLabel>;
  readonly promptTokens: Counter<VersionLabel>;
  readonly outputTokens: Counter<VersionLabel>;
  readonly tokensPerSecond: Gauge<VersionLabel>;
  readonly queueDepth: Gauge<VersionLabel>;
  readonly batchSize: Gauge<VersionLabel>;
  readonly batchSizeSteps: Histogram<VersionLabel>;
  readonly engineHandovers: Counter<VersionLabel>;
  readonly requests: Counter<VersionLabel | 'endpoint' | 'status'>;
  readonly errors: Counter<'code' | 'status' | VersionLabel>;
  readonly loadedVersions: Gauge<'model_version' | 'state'>;

  constructor(metrics: Metrics) {
    this.timeToFirstToken = metrics.histogram('crucible_serving_time_to_first_token_seconds', 'Time from request arrival to the first output token.', ['model_version'], LATENCY_BUCKETS);
    this.timePerOutputToken = metrics.histogram('crucible_serving_time_per_output_token_seconds', 'Mean time per output token after the first, per request.', ['model_version'], PER_TOKEN_BUCKETS);
    this.e2eLatency = metrics.histogram('crucible_serving_e2e_request_latency_seconds', 'Time from request arrival to its last byte.', ['model_version'], LATENCY_BUCKETS);
    this.promptTokens = metrics.counter('crucible_serving_prompt_tokens_total', 'Prompt tokens processed.', ['model_version']);
    this.outputTokens = metrics.counter('crucible_serving_generation_tokens_total', 'Output tokens generated.', ['model_version']);
    this.tokensPerSecond = metrics.gauge('crucible_serving_generation_tokens_per_second', 'Output tokens per second over the last second of decode steps.', ['model_version']);
    this.queueDepth = metrics.gauge('crucible_serving_queue_depth', 'Requests waiting to join the running batch.', ['model_version']);
    this.batchSize = metrics.gauge('crucible_serving_batch_size', 'Rows in the running batch after the last decode step.', ['model_version']);
    this.batchSizeSteps = metrics.histogram('crucible_serving_batch_size_per_step', 'Rows decoded together, one observation per decode step.', ['model_version'], BATCH_BUCKETS);
    this.engineHandovers = metrics.counter('crucible_serving_engine_handovers_total', 'Messages from the engine thread to the main thread (each wakes it; paced rows share one per guardrail chunk).', ['model_version']);
    this.requests = metrics.counter('crucible_serving_requests_total', 'Completed requests by endpoint and HTTP status.', ['model_version', 'endpoint', 'status']);
    this.errors = metrics.counter('crucible_serving_errors_total', 'Refused or failed requests by OpenAI error code.', ['code', 'status', 'model_version']);
    this.loadedVersions = metrics.gauge('crucible_serving_loaded_versions', 'Model versions in memory (1) by state.', ['model_version', 'state']);
  }

  /** The scheduler's per-step observer for one version: batch size, queue depth and a 1 s token rate. */
  stepObserver(versionId: string): Required<SchedulerObserver> {
    // Bound to the version once: called for every decode step, and a labelled call hashes its labels each time.
    const labels = { model_version: versionId };
    const handovers = this.engineHandovers.labels(labels);
    const batchSize = this.batchSize.labels(labels);
    const queueDepth = this.queueDepth.labels(labels);
    const batchSizeSteps = this.batchSizeSteps.labels(labels);
    const tokensPerSecond = this.tokensPerSecond.labels(labels);
    let windowStart = performance.now();
    let windowTokens = 0;
    return {
      onHandover: () => handovers.inc(),
      onStep: (batch, queued, tokens) => {
        batchSize.set(batch);
        queueDepth.set(queued);
        if (batch > 0) batchSizeSteps.observe(batch);
        windowTokens += tokens;
        const now = performance.now();
        if (now - windowStart >= 1000 || batch === 0) {
          tokensPerSecond.set(batch === 0 ? 0 : (windowTokens * 1000) / (now - windowStart));
          windowStart = now;
          windowTokens = 0;
        }
      },
    };
  }
}
