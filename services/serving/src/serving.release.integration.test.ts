/**
 * The embedded release over the real Kafka broker: while 16 clients stream without pause,
 * `model.approved` for version 2 arrives; the gateway hot-loads it, runs the canary
 * (@crucible/rollout), promotes it, moves the champion alias, emits the rollout events, and
 * drains and unloads version 1 — with zero failed requests. Feedback on a completion is
 * published to `serving.feedback`. Each run uses its own model name and consumer groups.
 * Run: npx vitest run --project integration services/serving/src/serving.release.integration.test.ts
 */
import { EventBus, KafkaBus, type Subscription } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import OpenAI from 'openai';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from './testing/gateway-harness';

const brokers = () => (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const STREAMS = 16;

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('embedded release over Kafka', () => {
  const run = randomUUID().slice(0, 8);
  const model = `it-${run}`;
  let gateway: Gateway;
  let probeBus: EventBus;
  const probes: Subscription[] = [];
  const seen: { started: Event<typeof TOPICS.rolloutStarted>[]; promoted: Event<typeof TOPICS.rolloutPromoted>[]; feedback: Event<typeof TOPICS.servingFeedback>[] } = { started: [], promoted: [], feedback: [] };

  beforeAll(async () => {
    probeBus = new EventBus(new KafkaBus({ brokers: brokers(), clientId: 'serving-it-probe' }), 'e2e/serving');
    const options = { fromBeginning: false };
    probes.push(await probeBus.subscribe(TOPICS.rolloutStarted, `it-probe-${run}-started`, async (e) => void (e.payload.model === model && seen.started.push(e)), options));
    probes.push(await probeBus.subscribe(TOPICS.rolloutPromoted, `it-probe-${run}-promoted`, async (e) => void (e.payload.model === model && seen.promoted.push(e)), options));
    probes.push(await probeBus.subscribe(TOPICS.servingFeedback, `it-probe-${run}-feedback`, async (e) => void (e.payload.modelVersionId.startsWith(`${model}@`) && seen.feedback.push(e)), options));
    gateway = await startGateway({
      model,
      versions: 2,
      group: `it-serving-${run}`,
      bus: new EventBus(new KafkaBus({ brokers: brokers(), clientId: 'serving-it', instanceId: `it-${run}` }), 'crucible/serving'),
      settings: {
        rollout: { spec: { steps: [50, 100], stepIntervalMs: 400, analysis: { minRequests: 2, maxErrorRate: 0.05, maxP99LatencyMs: 60_000 } }, tickMs: 100 },
      },
    });
  }, 300_000);
  afterAll(async () => {
    await gateway?.close();
    for (const p of probes) await p.stop();
    await probeBus?.transport.close();
  });

  it('hot-swaps to an approved version under 16 concurrent streams with zero failures, then unloads the old one', { timeout: 300_000 }, async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const servedBy = new Map<string, number>();
    const failures: string[] = [];
    let completed = 0;
    let keepGoing = true;
    const streamLoop = async (c: number) => {
      while (keepGoing) {
        try {
          const stream = await client.completions.create({ model, prompt: `Stream ${c}`, max_tokens: 16, temperature: 1, seed: c, stream: true });
          let version: string | undefined;
          let finished = false;
          for await (const chunk of stream) {
            version = chunk.model;
            finished ||= chunk.choices.some((ch) => ch.finish_reason !== null);
          }
          if (!finished || !version) failures.push(`stream ${c} ended without finish_reason`);
          else servedBy.set(version, (servedBy.get(version) ?? 0) + 1);
          completed++;
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const loops = Array.from({ length: STREAMS }, (_, c) => streamLoop(c));
    await until(() => completed >= STREAMS, 120_000, 'the streams never got going');

    const approval = await probeBus.emit(TOPICS.modelApproved, { modelVersionId: `${model}@2`, model, alias: 'champion' }, { key: model });
    await until(() => seen.promoted.length > 0, 120_000, 'the canary was never promoted');
    const afterPromotion = completed;
    await until(() => completed >= afterPromotion + STREAMS, 120_000, 'no traffic after promotion');
    await probeBus.publishAll(TOPICS.modelApproved, [approval]); // redelivered: changes nothing
    await until(() => gateway.modelEvents.includes(`close ${model}@1`), 120_000, `${model}@1 was never unloaded`);
    keepGoing = false;
    await Promise.all(loops);

    expect(failures).toEqual([]);
    expect(servedBy.get(`${model}@1`)).toBeGreaterThan(0);
    expect(servedBy.get(`${model}@2`)).toBeGreaterThan(0);
    expect(seen.started.map((e) => e.payload)).toEqual([{ deployment: model, model, stableVersionId: `${model}@1`, canaryVersionId: `${model}@2`, canaryWeight: 50 }]);
    expect(seen.promoted.map((e) => e.payload)).toEqual([{ deployment: model, model, stableVersionId: `${model}@1`, canaryVersionId: `${model}@2` }]);
    expect((await gateway.registry.models.resolve(`${model}:champion`))?.id).toBe(`${model}@2`);
    expect(gateway.runtime.pool.loaded().map((v) => v.versionId)).toEqual([`${model}@2`]);
    expect(gateway.modelEvents).toEqual([`load ${model}@1`, `load ${model}@2`, `close ${model}@1`]);
    const now = await client.completions.create({ model, prompt: 'After', max_tokens: 2 });
    expect(now.model).toBe(`${model}@2`);
  });

  it('publishes feedback on a served completion to serving.feedback with the version that served it', { timeout: 120_000 }, async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: `${model}:champion`, messages: [{ role: 'user', content: 'Rate me' }], max_tokens: 4 });
    const post = (body: unknown) => fetch(`${gateway.url}/v1/feedback`, { method: 'POST', body: JSON.stringify(body) });
    const accepted = await post({ requestId: completion.id, rating: 1, comment: 'useful' });
    expect(accepted.status).toBe(202);
    await until(() => seen.feedback.length > 0, 60_000, 'no serving.feedback event');
    expect(seen.feedback[0]!.payload).toEqual({ requestId: completion.id, modelVersionId: completion.model, rating: 1, comment: 'useful' });
    expect(seen.feedback[0]!.lineage.modelVersionId).toBe(completion.model);

    const unknown = await post({ requestId: 'chatcmpl-000000000000000000000000.bm9wZUA5', rating: 1 });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'completion_not_found', param: 'requestId' } });
    const invalid = await post({ requestId: completion.id, rating: 3 });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { param: 'rating', type: 'invalid_request_error' } });
  });
});
