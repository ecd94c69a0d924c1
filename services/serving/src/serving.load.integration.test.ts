/**
 * Load on the real gateway: 32 concurrent clients, streaming and not, on one tiny model run
 * by ONNX Runtime. Asserts outcomes only — every request answered completely, rows really
 * shared decode steps, memory growth bounded — never timings.
 * Run: npx vitest run --project integration services/serving/src/serving.load.integration.test.ts
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from './testing/gateway-harness';

const CONCURRENCY = 32;
const REQUESTS_PER_CLIENT = 4;
/** RSS may grow by this much over the measured load (caches, allocator slack), not with the number of requests. */
const RSS_GROWTH_BOUND_MB = 256;

describe('gateway under load', () => {
  let gateway: Gateway;
  let client: OpenAI;

  beforeAll(async () => {
    gateway = await startGateway({ settings: { logContent: true, limits: { maxBatch: 32, maxQueue: 256 } } });
    client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  }, 120_000);
  afterAll(() => gateway?.close());

  /** One client: sequential requests, alternately streaming and not; returns the outcomes. */
  const clientLoop = async (c: number, requests: number) => {
    const outcomes: { ok: boolean; tokens: number; error?: string }[] = [];
    for (let i = 0; i < requests; i++) {
      const prompt = `Citizen ${c} asks question ${i}:`;
      try {
        if ((c + i) % 2 === 0) {
          const stream = await client.completions.create({ model: 'tiny', prompt, max_tokens: 24, temperature: 0.8, seed: c * 100 + i, stream: true, stream_options: { include_usage: true } });
          let usage: OpenAI.CompletionUsage | undefined;
          let finished = false;
          for await (const chunk of stream) {
            usage = chunk.usage ?? usage;
            finished ||= chunk.choices.some((ch) => ch.finish_reason !== null);
          }
          outcomes.push({ ok: finished && usage !== undefined && usage.completion_tokens > 0, tokens: usage?.completion_tokens ?? 0 });
        } else {
          const out = await client.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: prompt }], max_tokens: 24, temperature: 0.8, seed: c * 100 + i });
          outcomes.push({ ok: out.choices.length === 1 && out.usage!.completion_tokens > 0, tokens: out.usage!.completion_tokens });
        }
      } catch (error) {
        outcomes.push({ ok: false, tokens: 0, error: String(error) });
      }
    }
    return outcomes;
  };

  it(`serves ${CONCURRENCY} concurrent clients with zero failures, batched, in bounded memory`, { timeout: 600_000 }, async () => {
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, c) => clientLoop(c, 1))); // warm-up: code paths, ORT arenas
    const rssBefore = process.memoryUsage().rss;
    const outcomes = (await Promise.all(Array.from({ length: CONCURRENCY }, (_, c) => clientLoop(c, REQUESTS_PER_CLIENT)))).flat();
    const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;

    console.log(`load: ${outcomes.length} requests, ${outcomes.reduce((k, o) => k + o.tokens, 0)} output tokens, RSS growth ${rssGrowthMb.toFixed(1)} MB (bound ${RSS_GROWTH_BOUND_MB} MB)`);
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(outcomes).toHaveLength(CONCURRENCY * REQUESTS_PER_CLIENT);
    expect(rssGrowthMb).toBeLessThan(RSS_GROWTH_BOUND_MB);

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    /** The value of the one sample of `name` whose labels include all of `labels`. */
    const sample = (name: string, labels: string[]) => {
      const line = metrics.split('\n').find((l) => l.startsWith(`${name}{`) && labels.every((label) => l.includes(label)));
      return Number(line?.split(' ').pop());
    };
    const bucket = (le: string) => sample('crucible_serving_batch_size_per_step_bucket', [`le="${le}"`, 'model_version="tiny@1"']);
    // Decode steps that ran more than one row: requests joined a running batch.
    expect(bucket('+Inf') - bucket('1')).toBeGreaterThan(0);
    const served = ['completions', 'chat'].reduce((k, endpoint) => k + sample('crucible_serving_requests_total', ['model_version="tiny@1"', `endpoint="${endpoint}"`, 'status="200"']), 0);
    expect(served).toBe(CONCURRENCY * (REQUESTS_PER_CLIENT + 1));
    expect(gateway.runtime.pool.loaded()).toEqual([{ versionId: 'tiny@1', state: 'serving', inFlight: 0 }]);
  });

  it('logs prompts and completions only when SERVING_LOG_CONTENT=true (this gateway opted in)', async () => {
    const prompt = 'Opted-in heron manifesto';
    await client.completions.create({ model: 'tiny', prompt, max_tokens: 2 });
    expect(gateway.logs.join('')).toContain(prompt);
  });
});
