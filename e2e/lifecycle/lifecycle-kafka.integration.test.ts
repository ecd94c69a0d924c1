/**
 * The model lifecycle across services over the real broker and PostgreSQL: training,
 * evaluation and safety run as three separate Nest services (each its own Kafka client and
 * consumer groups, as in production), sharing one registry schema. A `datasets.sealed` event
 * for a tiny dataset goes in; the retrain policy requests a run, a worker process trains a
 * `tiny` model, evaluation and safety gate it, and `model.approved` comes out — with the
 * registry holding the version's lineage back to the run and the dataset.
 */
import { EventBus, KafkaBus } from '@crucible/bus';
import { TopicProbe, brokers } from '@crucible/bus/testing';
import { TOPICS, createEvent } from '@crucible/contracts';
import { EvaluationModule, openEvaluation } from '@crucible/evaluation';
import { makeTinyArtifact } from '@crucible/model-artifact/testing';
import { openRegistryInSchema } from '@crucible/registry/testing';
import { SafetyModule, openSafety } from '@crucible/safety';
import { Metrics, PlatformModule, type RunningService, createLogger, runService } from '@crucible/service-kit';
import { readManifest } from '@crucible/shards';
import { TrainingModule, openTraining, sealedFromManifest } from '@crucible/training';
import { type DynamicModule, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const run = randomUUID().slice(0, 8);
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});

async function startService(name: string, stage: DynamicModule): Promise<RunningService> {
  const logger = createLogger(name, 'warn');
  const bus = new EventBus(new KafkaBus({ brokers: brokers(), clientId: `e2e-${name}`, instanceId: `e2e-${name}-${run}` }), `crucible/${name}`);
  @Module({ imports: [PlatformModule.forRoot({ config: {}, logger, bus, metrics: new Metrics(name) }), stage] })
  class ServiceApp {}
  // This run's groups start at the topics' end: earlier runs' records on the shared broker are not this test's.
  const service = await runService({ module: ServiceApp, bus, logger, host: '127.0.0.1', port: 0, consumers: { groupOf: (g) => `${g}.e2e-${run}`, fromBeginning: false } });
  cleanup.push(() => service.stop());
  return service;
}

it('datasets.sealed → trained → evaluated → safety-tested → approved, lineage in the registry', { timeout: 600_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'lifecycle-kafka-'));
  cleanup.push(async () => rmSync(work, { recursive: true, force: true }));
  await makeTinyArtifact(work); // writes the tiny dataset under <work>/dataset
  const manifestPath = join(work, 'dataset', 'manifest.json');
  const manifest = readManifest(manifestPath);
  const model = `lc-${run}`;

  const { registry, drop } = await openRegistryInSchema(`lifecycle_${run}`);
  cleanup.push(drop);

  const dataDir = join(work, 'data');
  const training = openTraining({
    dataDir, registry, datasetsDir: dirname(dirname(manifestPath)),
    config: { threads: 1, checkpointEvery: 4, evalEvery: 4, retrain: { preset: 'tiny', model, hyperParameters: { steps: 8, batchSize: 4, sequenceLength: 64, learningRate: 0.003, warmupSteps: 1 } } },
  });
  await startService('training', TrainingModule.forRoot(training));
  await startService('evaluation', EvaluationModule.forRoot(openEvaluation({ dataDir, registry, config: { perplexity: { maxTokens: 2048 } } })));
  await startService('safety', SafetyModule.forRoot(openSafety({ dataDir, registry })));

  const probe = await new TopicProbe([TOPICS.trainingRequested, TOPICS.modelTrained, TOPICS.modelEvaluated, TOPICS.modelSafetyTested, TOPICS.modelApproved]).start();
  cleanup.push(() => probe.stop());
  const datasetId = `${model}-data@1`;
  const sealed = createEvent(TOPICS.datasetsSealed, { ...sealedFromManifest(manifestPath), dataset: `${model}-data`, datasetId }, { source: 'e2e/lifecycle', key: datasetId });
  const publisher = new KafkaBus({ brokers: brokers(), clientId: 'e2e-lifecycle-publisher' });
  cleanup.push(() => publisher.close());
  await new EventBus(publisher, 'e2e/lifecycle').publishAll(TOPICS.datasetsSealed, [sealed]);

  const ours = (topic: (typeof TOPICS)[keyof typeof TOPICS]) => probe.raw(topic, (r) => r.value.toString().includes(model));
  await probe.until(() => ours(TOPICS.modelApproved).length > 0, 480_000, () => `no model.approved for ${model}; seen: ${[TOPICS.trainingRequested, TOPICS.modelTrained, TOPICS.modelEvaluated, TOPICS.modelSafetyTested].map((t) => `${t} ${ours(t).length}`).join(', ')}`);
  const [approved] = probe.events(TOPICS.modelApproved, (e) => e.payload.model === model);
  const versionId = approved!.payload.modelVersionId;
  expect(versionId).toBe(`${model}@1`);

  const version = (await registry.models.getVersion(versionId))!;
  const [runRecord] = await registry.runs.list({ model });
  expect(version).toMatchObject({ model, datasetId, runId: runRecord!.runId, tokenizerId: manifest.tokenizer.id });
  expect(runRecord).toMatchObject({ status: 'succeeded', datasetId, modelVersionId: versionId, step: 8 });
  expect((await registry.reports.get(versionId, 'evaluation'))!.verdict.passed).toBe(true);
  expect((await registry.reports.get(versionId, 'safety'))!.verdict.passed).toBe(true);
  for (const topic of [TOPICS.trainingRequested, TOPICS.modelTrained, TOPICS.modelEvaluated, TOPICS.modelSafetyTested] as const) {
    expect(ours(topic), topic).toHaveLength(1);
  }
});
