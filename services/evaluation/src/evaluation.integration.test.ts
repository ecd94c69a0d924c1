/**
 * Over the real broker, the real PostgreSQL registry and ONNX Runtime: `model.trained` for a
 * tiny trained artifact → `model.evaluated` with a finite held-out perplexity, stored in the
 * registry and in eval-report.json; that version becomes champion; a random-weights version
 * is then rejected by the gate with a champion-regression reason; a redelivered event
 * re-emits the stored verdict without recomputing; an event for a missing artifact goes to the
 * dead-letter topic with the reason. Every run uses its own model name, consumer group (at the
 * end of the shared topic before it joins) and registry schema.
 * Run: npx vitest run --project integration services/evaluation
 */
import { EventBus, KafkaBus } from '@crucible/bus';
import { TopicProbe, brokers, groupAtEnd } from '@crucible/bus/testing';
import { TOPICS, dlqTopic } from '@crucible/contracts';
import { makeTinyArtifact } from '@crucible/model-artifact/testing';
import { openRegistryInSchema, versionInput } from '@crucible/registry/testing';
import { Metrics, PlatformModule, type RunningService, createLogger, runService } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPORT_FILE } from './evaluate-model/evaluation-report';
import { EvaluationModule } from './evaluation.module';
import { openEvaluation } from './open-evaluation';

describe('evaluation over real Kafka, PostgreSQL and ONNX Runtime', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('evaluates, stores, gates against the champion, and answers redeliveries from the store', { timeout: 300_000 }, async () => {
    const run = randomUUID().slice(0, 8);
    const model = `evalit-${run}`;
    const { registry, drop } = await openRegistryInSchema(`evaluation_it_${run}`);
    cleanup.push(drop);

    // A champion trained a few steps and a challenger with random weights, on one tiny dataset.
    const root = mkdtempSync(join(tmpdir(), 'crucible-evaluation-it-'));
    const trainedDir = await makeTinyArtifact(root, { model, n: 1, seed: 1, trainSteps: 30 });
    const randomDir = await makeTinyArtifact(root, { model, n: 2, seed: 2, trainSteps: 0 });
    const register = (runId: string, artifactPath: string) => registry.models.registerVersion(versionInput(model, runId, { tokenizerId: 'tiny-bpe', artifactPath }));
    expect((await register('tiny-run-1', trainedDir)).id).toBe(`${model}@1`);
    expect((await register('tiny-run-2', randomDir)).id).toBe(`${model}@2`);

    const group = `crucible.evaluation.it-${run}`;
    await groupAtEnd(group, [TOPICS.modelTrained]);
    const seen = await new TopicProbe([TOPICS.modelEvaluated, dlqTopic(TOPICS.modelTrained)], { clientId: 'it-evaluation-probe' }).start();
    cleanup.push(() => seen.stop());

    const logger = createLogger('evaluation', 'warn');
    const bus = new EventBus(new KafkaBus({ brokers: brokers(), clientId: 'evaluation-it', instanceId: `it-${run}` }), 'crucible/evaluation');
    const options = openEvaluation({ dataDir: root, registry, group, config: { perplexity: { batchSize: 4 } } });
    @Module({ imports: [PlatformModule.forRoot({ config: {}, logger, bus, metrics: new Metrics('evaluation') }), EvaluationModule.forRoot(options)] })
    class App {}
    const service: RunningService = await runService({ module: App, bus, logger, host: '127.0.0.1', port: 0 });
    cleanup.push(() => service.stop());

    const client = new EventBus(new KafkaBus({ brokers: brokers(), clientId: 'evaluation-it-client' }), 'e2e/evaluation');
    cleanup.push(() => client.transport.close());
    const trained = (n: number, artifactPath: string) =>
      client.emit(
        TOPICS.modelTrained,
        { modelVersionId: `${model}@${n}`, model, runId: `tiny-run-${n}`, datasetId: 'tiny@1', tokenizerId: 'tiny-bpe', artifactPath, finalLoss: 5, parameters: 1000 },
        { key: model },
      );
    const evaluated = () => seen.events(TOPICS.modelEvaluated, (e) => e.payload.modelVersionId.startsWith(`${model}@`));

    // 1. No champion yet: thresholds only; a finite held-out perplexity and every bundled task.
    const first = await trained(1, trainedDir);
    await seen.until(() => evaluated().length >= 1, 180_000, () => 'no model.evaluated for version 1');
    const one = evaluated()[0]!;
    expect(one.payload.modelVersionId).toBe(`${model}@1`);
    expect(one.lineage.modelVersionId).toBe(`${model}@1`);
    expect(Number.isFinite(one.payload.metrics.perplexity)).toBe(true);
    expect(one.payload.metrics.perplexity).toBeGreaterThan(1);
    expect(one.payload.metrics.bitsPerByte).toBeGreaterThan(0);
    expect(Object.keys(one.payload.metrics)).toEqual(expect.arrayContaining(['sotu-continuation.bleu', 'sotu-continuation.chrf', 'sotu-continuation.rougeL', 'sotu-cloze.exact_match', 'sotu-famous-lines.perplexity']));
    expect(one.payload.verdict).toEqual({ passed: true, reasons: ['no champion yet: thresholds only'] });
    expect(one.payload.reportPath).toBe(join(trainedDir, REPORT_FILE));
    const stored = await registry.reports.get(`${model}@1`, 'evaluation');
    expect(stored?.metrics.perplexity).toBe(one.payload.metrics.perplexity);
    const http = await fetch(`${service.url}/v1/evaluations/${model}@1`);
    expect(http.status).toBe(200);
    expect(((await http.json()) as { verdict: unknown }).verdict).toEqual(one.payload.verdict);

    // 2. Version 1 is champion; the random-weights version 2 regresses beyond 2 % and is rejected.
    await registry.models.setAlias(model, 'champion', `${model}@1`);
    await trained(2, randomDir);
    await seen.until(() => evaluated().length >= 2, 180_000, () => 'no model.evaluated for version 2');
    const two = evaluated()[1]!;
    expect(two.payload.modelVersionId).toBe(`${model}@2`);
    expect(two.payload.verdict.passed).toBe(false);
    expect(two.payload.metrics.perplexity).toBeGreaterThan(one.payload.metrics.perplexity! * 1.02);
    expect(two.payload.verdict.reasons).toContainEqual(expect.stringMatching(/^perplexity [0-9.]+ > champion [0-9.]+ × 1\.02$/));
    expect((await registry.reports.get(`${model}@2`, 'evaluation'))?.verdict.passed).toBe(false);
    expect(((await (await fetch(`${service.url}/v1/evaluations/${model}`)).json()) as { versionId: string }).versionId).toBe(`${model}@1`);

    // 3. Version 1's event delivered again: the stored verdict is re-emitted, nothing recomputed.
    const reportWritten = statSync(join(trainedDir, REPORT_FILE)).mtimeMs;
    await client.publishAll(TOPICS.modelTrained, [first]);
    await seen.until(() => evaluated().length >= 3, 60_000, () => 'the redelivered model.trained was not answered');
    const again = evaluated()[2]!;
    expect(again.id).toBe(one.id);
    expect(again.payload).toEqual(one.payload);
    expect(await registry.reports.list(`${model}@1`)).toHaveLength(1);
    expect(statSync(join(trainedDir, REPORT_FILE)).mtimeMs).toBe(reportWritten);

    // 4. An artifact that does not exist: dead-lettered with the reason, the stream goes on.
    await trained(3, join(root, 'nowhere'));
    const dlq = () => seen.raw(dlqTopic(TOPICS.modelTrained), (r) => r.value.toString().includes(`${model}@3`));
    await seen.until(() => dlq().length >= 1, 60_000, () => 'the event for a missing artifact was not dead-lettered');
    expect(dlq()[0]!.headers['x-crucible-dlq-code']).toBe('artifact_unusable');
    expect(dlq()[0]!.headers['x-crucible-dlq-reason']).toContain('does not exist');

    // HTTP errors say precisely what is wrong.
    expect((await fetch(`${service.url}/v1/evaluations/${model}@9`)).status).toBe(404);
    const bad = await fetch(`${service.url}/v1/evaluations/${encodeURIComponent('bad ref!')}`);
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_reference');
  });
});
