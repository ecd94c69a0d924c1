/**
 * Over the real broker, a real PostgreSQL registry and real worker processes: a tiny sealed
 * dataset announced on `datasets.sealed` → the retrain policy → `training.requested` → a
 * `tiny` model trained in a forked worker → `model.trained` with the lineage in the registry;
 * a worker SIGKILLed mid-run that resumes from its checkpoint into exactly the loss sequence of
 * an uninterrupted run; a cancelled run; a refused request. Topics are shared and persist, so
 * the run's consumer groups start at the current end of their topics and every id is unique.
 * Run: npx vitest run --project integration services/training
 */
import { EventBus, KafkaBus, type Subscription } from '@crucible/bus';
import { type Event, TOPICS, type Topic } from '@crucible/contracts';
import { readModelLineage } from '@crucible/model-artifact';
import { type Registry, openRegistry } from '@crucible/registry';
import { Metrics, PlatformModule, type RunningService, createLogger, runService } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LaunchListener, Launcher, TrainingJob } from './launchers/launcher';
import { LocalLauncher } from './launchers/local/local.launcher';
import { closeTraining, openTraining } from './open-training';
import { writeTinyDataset } from './testing/tiny-dataset';
import { TrainingModule } from './training.module';

const brokers = () => (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(200);
  }
}

/** Committed offsets at the current end of each topic, before the group joins: earlier runs' records are not re-processed. */
async function groupsAtEnd(pairs: readonly (readonly [group: string, topic: string])[]): Promise<void> {
  const admin = new Kafka({ clientId: 'training-it-admin', brokers: brokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    for (const [group, topic] of pairs) {
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({ groupId: group, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
    }
  } finally {
    await admin.disconnect();
  }
}

/** The real local launcher, with the test deciding when to SIGKILL a worker: right after it reports its first checkpoint. */
class KillAtFirstCheckpoint implements Launcher {
  readonly kind = 'local' as const;
  readonly killed: string[] = [];
  constructor(
    readonly inner: LocalLauncher,
    private readonly victim: string,
  ) {}

  launch(job: TrainingJob, listener: LaunchListener) {
    return this.inner.launch(job, {
      ...listener,
      onProgress: (p) => listener.onProgress(p),
      onFinished: (f) => listener.onFinished(f),
      onCheckpoint: (c) => {
        listener.onCheckpoint(c);
        if (job.runId === this.victim && job.attempt === 1 && this.killed.length === 0) {
          process.kill(this.inner.pidOf(job.runId)!, 'SIGKILL');
          this.killed.push(`${job.runId}@${c.step}`);
        }
      },
    });
  }
  cancel(runId: string) {
    return this.inner.cancel(runId);
  }
  close() {
    return this.inner.close();
  }
}

const STEPS = 30;
const hyperParameters = { steps: STEPS, batchSize: 2, sequenceLength: 16, learningRate: 3e-3, warmupSteps: 2, seed: 5 };

describe('training over real Kafka, PostgreSQL and worker processes', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('retrains on a seal, resumes a killed worker into the same losses, cancels, and refuses an unknown dataset', { timeout: 600_000 }, async () => {
    const run = randomBytes(4).toString('hex');
    const group = `crucible.training.it-${run}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'crucible-training-it-'));
    const databaseUrl = process.env.DATABASE_URL ?? 'postgres://crucible:crucible@127.0.0.1:15432/crucible';
    const schema = `training_it_${run}`;
    const registry: Registry = await openRegistry(`${databaseUrl}?schema=${schema}`);
    cleanup.push(async () => {
      await registry.close();
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    });
    const launcher = new KillAtFirstCheckpoint(new LocalLauncher({ onWorkerOutput: () => undefined }), `kill-${run}`);
    const training = openTraining({
      dataDir,
      registry,
      launcher,
      group,
      config: {
        threads: 1,
        maxAttempts: 3,
        checkpointEvery: 5,
        evalEvery: 0,
        evalBatches: 1,
        progress: { everySteps: 1, intervalMs: 60_000 },
        retrain: { preset: 'tiny', minNewTokens: 1, hyperParameters },
      },
    });
    await groupsAtEnd([
      [`${group}.datasets`, TOPICS.datasetsSealed],
      [group, TOPICS.trainingRequested],
      [`${group}.cancel`, TOPICS.trainingCancellationRequested],
      [`${group}.completion`, TOPICS.trainingCheckpointed],
    ]);
    const logger = createLogger('training', 'warn');
    const bus = new EventBus(new KafkaBus({ brokers: brokers(), clientId: 'training-it', instanceId: `training-it-${run}` }), 'crucible/training');
    @Module({ imports: [PlatformModule.forRoot({ config: {}, logger, bus, metrics: new Metrics('training') }), TrainingModule.forRoot(training)] })
    class App {}
    const service: RunningService = await runService({ module: App, bus, logger, host: '127.0.0.1', port: 0 });
    cleanup.push(async () => {
      await service.stop();
      closeTraining(training);
    });

    // A probe reading what the service publishes, from the current end of each topic.
    const client = new EventBus(new KafkaBus({ brokers: brokers(), clientId: 'training-it-client' }), 'it/training');
    const seen = new Map<Topic, Event<Topic>[]>();
    const probes: Subscription[] = [];
    const probeTopics = [TOPICS.trainingRequested, TOPICS.trainingCheckpointed, TOPICS.trainingFailed, TOPICS.modelTrained] as const;
    await groupsAtEnd(probeTopics.map((t) => [`it-probe-${run}-${t}`, t] as const));
    for (const topic of probeTopics) {
      seen.set(topic, []);
      probes.push(await client.subscribe(topic, `it-probe-${run}-${topic}`, async (e) => void seen.get(topic)!.push(e as Event<Topic>)));
    }
    cleanup.push(async () => {
      for (const p of probes) await p.stop();
      await client.transport.close();
    });
    const events = <T extends Topic>(topic: T, runId: string) => (seen.get(topic) as Event<T>[]).filter((e) => (e.payload as { runId?: string }).runId === runId);
    const post = (path: string, body: unknown) => fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    // 1. Seal → retrain policy → an uninterrupted run → model.trained with lineage in the registry.
    const sealed = await writeTinyDataset(join(dataDir, 'datasets'), { name: `it-${run}` });
    await client.emit(TOPICS.datasetsSealed, sealed, { key: sealed.dataset });
    const wholeRun = `${sealed.datasetId}-tiny`;
    await until(() => events(TOPICS.modelTrained, wholeRun).length > 0, 240_000, `model.trained for ${wholeRun}`);
    expect(events(TOPICS.trainingRequested, wholeRun)).toHaveLength(1);
    const trained = events(TOPICS.modelTrained, wholeRun)[0]!.payload;
    expect(trained).toMatchObject({ modelVersionId: `it-${run}@1`, model: `it-${run}`, datasetId: sealed.datasetId, tokenizerId: sealed.tokenizerId });
    const version = await registry.models.getVersion(trained.modelVersionId);
    expect(version).toMatchObject({ runId: wholeRun, datasetId: sealed.datasetId, datasetSha256: sealed.manifestSha256, tokenizerId: sealed.tokenizerId, artifactPath: trained.artifactPath });
    expect(readModelLineage(trained.artifactPath)).toMatchObject({ versionId: trained.modelVersionId, runId: wholeRun, manifestPath: sealed.manifestPath, manifestSha256: sealed.manifestSha256, finalLoss: trained.finalLoss });
    expect(existsSync(join(trained.artifactPath, 'model.safetensors'))).toBe(true);
    expect(await registry.runs.get(wholeRun)).toMatchObject({ status: 'succeeded', attempt: 1, modelVersionId: trained.modelVersionId, finalLoss: trained.finalLoss });
    const wholeLosses = (await registry.runs.progress(wholeRun)).map((p) => p.loss);
    expect(wholeLosses).toHaveLength(STEPS);
    expect(wholeLosses.at(-1)).toBe(trained.finalLoss);
    expect(trained.finalLoss).toBeLessThan(wholeLosses[0]!);
    expect(events(TOPICS.trainingCheckpointed, wholeRun).map((e) => e.payload.step)).toEqual([5, 10, 15, 20, 25, 30]);

    // 2. The same training over HTTP, its worker SIGKILLed right after the first checkpoint.
    const killRun = `kill-${run}`;
    expect((await post('/v1/training-runs', { runId: killRun, datasetId: sealed.datasetId, preset: 'tiny', hyperParameters, model: `it-${run}` })).status).toBe(202);
    await until(() => events(TOPICS.modelTrained, killRun).length > 0, 240_000, `model.trained for ${killRun}`);
    expect(launcher.killed).toEqual([`${killRun}@5`]);
    const failed = events(TOPICS.trainingFailed, killRun);
    expect(failed.map((e) => e.payload)).toEqual([{ runId: killRun, reason: 'training worker was killed by SIGKILL', retriable: true, attempt: 1, lastCheckpoint: join(dataDir, 'runs', killRun, 'checkpoints', 'step-00000005') }]);
    expect(await registry.runs.get(killRun)).toMatchObject({ status: 'succeeded', attempt: 2, modelVersionId: `it-${run}@2` });
    const killedLosses = (await registry.runs.progress(killRun)).map((p) => p.loss);
    expect(killedLosses).toEqual(wholeLosses); // steps 6.. came from attempt 2, resumed from step 5: identical
    expect(events(TOPICS.modelTrained, killRun)[0]!.payload.finalLoss).toBe(trained.finalLoss);

    // 3. A long run, cancelled over HTTP once it has made progress; its worker is gone.
    const cancelRun = `cancel-${run}`;
    expect((await post('/v1/training-runs', { runId: cancelRun, datasetId: sealed.datasetId, preset: 'tiny', hyperParameters: { ...hyperParameters, steps: 100_000 } })).status).toBe(202);
    await until(async () => (await registry.runs.get(cancelRun))?.step !== undefined && ((await registry.runs.get(cancelRun))?.step ?? 0) >= 3, 120_000, 'the long run to make progress');
    const pid = launcher.inner.pidOf(cancelRun)!;
    expect((await post(`/v1/training-runs/${cancelRun}/cancel`, { reason: 'integration test' })).status).toBe(202);
    await until(async () => (await registry.runs.get(cancelRun))?.status === 'cancelled', 60_000, 'the run to be cancelled');
    await until(() => launcher.inner.pidOf(cancelRun) === undefined, 30_000, 'the worker to exit');
    expect(() => process.kill(pid, 0)).toThrow();
    expect(events(TOPICS.trainingFailed, cancelRun)).toHaveLength(0);

    // 4. A request for a dataset nobody sealed: refused with a reason, not dead-lettered.
    await client.emit(TOPICS.trainingRequested, { runId: `ghost-${run}`, datasetId: `ghost-${run}@1` }, { key: `ghost-${run}` });
    await until(() => events(TOPICS.trainingFailed, `ghost-${run}`).length > 0, 60_000, 'the refusal');
    expect(events(TOPICS.trainingFailed, `ghost-${run}`)[0]!.payload).toMatchObject({ retriable: false, reason: expect.stringMatching(/^dataset_not_found: /) });
    expect((await registry.runs.get(`ghost-${run}`))?.status).toBe('failed');
  });
});
