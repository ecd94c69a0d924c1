/**
 * The training module on the embedded bus with a real (in-memory SQLite) registry and a
 * scripted launcher standing in for the worker: the run state machine, the retrain policy,
 * completion into a model version, failures, retries, cancellation, resume at start, HTTP.
 * Real worker processes are covered by launchers/local/local.launcher.test.ts and the
 * integration suite.
 */
import { EmbeddedBus, EventBus, type Subscription } from '@crucible/bus';
import { type DatasetSealed, type Event, TOPICS, type Topic, type TrainingProgressed, dlqTopic } from '@crucible/contracts';
import { readModelLineage } from '@crucible/model-artifact';
import { type Registry, openRegistry } from '@crucible/registry';
import { Metrics, PlatformModule, type RunningService, createLogger, runService } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeTraining, openTraining } from './open-training';
import { TrainingRunsService } from './runs/training-runs.service';
import { ScriptedLauncher } from './testing/scripted-launcher';
import { writeTinyDataset } from './testing/tiny-dataset';
import type { TrainingSettingsInput } from './training.config';
import { TrainingModule } from './training.module';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const settings: TrainingSettingsInput = {
  threads: 1,
  maxAttempts: 2,
  progress: { everySteps: 2, intervalMs: 60_000 },
  retrain: { preset: 'tiny', minNewTokens: 1, hyperParameters: { steps: 5, batchSize: 2, sequenceLength: 16 } },
};

async function start(options: { dataDir?: string; registry?: Registry; launcher?: ScriptedLauncher; config?: TrainingSettingsInput; bodyParser?: boolean } = {}) {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'crucible-training-'));
  const transport = new EmbeddedBus({ path: join(dataDir, 'bus.sqlite'), idlePollMs: 10 });
  const bus = new EventBus(transport, 'test/training');
  const registry = options.registry ?? (await openRegistry('sqlite::memory:'));
  const launcher = options.launcher ?? new ScriptedLauncher();
  const progress: TrainingProgressed[] = [];
  const training = openTraining({ dataDir, registry, launcher, config: options.config ?? settings, onProgress: (p) => progress.push(p) });
  const logger = createLogger('training', 'silent');
  @Module({ imports: [PlatformModule.forRoot({ config: {}, logger, bus, metrics: new Metrics('training') }), TrainingModule.forRoot(training)] })
  class App {}
  const service: RunningService = await runService({ module: App, bus, logger, host: '127.0.0.1', port: 0, bodyParser: options.bodyParser ?? true });
  const seen = new Map<Topic, Event<Topic>[]>();
  const probes: Subscription[] = [];
  for (const topic of [TOPICS.trainingRequested, TOPICS.trainingProgressed, TOPICS.trainingCheckpointed, TOPICS.trainingFailed, TOPICS.modelTrained]) {
    seen.set(topic, []);
    probes.push(await bus.subscribe(topic, `probe-${topic}`, async (e) => void seen.get(topic)!.push(e as Event<Topic>)));
  }
  const runs = service.app.get(TrainingRunsService);
  return {
    dataDir,
    bus,
    transport,
    registry,
    launcher,
    service,
    runs,
    progress,
    events: <T extends Topic>(topic: T) => seen.get(topic) as Event<T>[],
    http: (path: string, init?: RequestInit) => fetch(`${service.url}${path}`, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } }),
    async stop(closeRegistry = true) {
      for (const p of probes) await p.stop();
      await service.stop();
      closeTraining(training);
      if (closeRegistry) await registry.close();
    },
  };
}

type Harness = Awaited<ReturnType<typeof start>>;
const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.stop().catch(() => undefined);
});
const started = async (options?: Parameters<typeof start>[0]) => {
  const h = await start(options);
  harnesses.push(h);
  return h;
};

const seal = (h: Harness, name: string, version = 1): Promise<DatasetSealed> => writeTinyDataset(join(h.dataDir, 'datasets'), { name, version });

describe('training module', () => {
  it('seal → retrain request → run → throttled progress → final checkpoint → registered version → model.trained', { timeout: 60_000 }, async () => {
    const h = await started();
    const sealed = await seal(h, 'speeches');
    const sealEvent = await h.bus.emit(TOPICS.datasetsSealed, sealed, { key: sealed.dataset });
    await until(() => h.launcher.attempts.length === 1, 'the first launch');
    const [attempt] = h.launcher.attempts;
    expect(attempt!.job).toMatchObject({ runId: 'speeches@1-tiny', attempt: 1, manifestPath: sealed.manifestPath, config: { vocabSize: sealed.vocabSize, nLayer: 2 } });
    expect(attempt!.job.hyper).toMatchObject({ maxSteps: 5, batchSize: 2, seqLen: 16, threads: 1, evalEvery: 5 });
    expect(h.events(TOPICS.trainingRequested)[0]!.payload.runId).toBe('speeches@1-tiny');
    expect((await h.registry.runs.get('speeches@1-tiny'))?.status).toBe('running');

    attempt!.listener.onCheckpoint({ step: 2, path: attempt!.writeCheckpoint(), sha256: 'a'.repeat(64) });
    attempt!.finish([5.5, 5.1, 4.8, 4.6, 4.4], 4.9);
    await until(() => h.events(TOPICS.modelTrained).length === 1, 'model.trained');

    // Steps 1, 3, 5 (every 2nd, plus the last, which also measured validation loss).
    expect(h.events(TOPICS.trainingProgressed).map((e) => e.payload.step)).toEqual([1, 3, 5]);
    expect(h.progress.map((p) => p.step)).toEqual([1, 3, 5]);
    expect((await h.registry.runs.progress('speeches@1-tiny')).map((p) => [p.step, p.loss])).toEqual([[1, 5.5], [3, 4.8], [5, 4.4]]);
    const checkpoints = h.events(TOPICS.trainingCheckpointed).map((e) => e.payload);
    expect(checkpoints.map((c) => [c.step, c.final ?? false])).toEqual([[2, false], [5, true]]);

    const trained = h.events(TOPICS.modelTrained)[0]!;
    expect(trained.payload).toMatchObject({ modelVersionId: 'speeches@1', model: 'speeches', runId: 'speeches@1-tiny', datasetId: 'speeches@1', tokenizerId: sealed.tokenizerId, finalLoss: 4.4, validationLoss: 4.9 });
    expect(trained.payload.artifactPath).toBe(join(h.dataDir, 'models', 'speeches', '1'));
    expect(trained.lineage).toMatchObject({ runId: 'speeches@1-tiny', datasetId: 'speeches@1', modelVersionId: 'speeches@1' });
    const lineage = readModelLineage(trained.payload.artifactPath);
    expect(lineage).toMatchObject({ versionId: 'speeches@1', manifestPath: sealed.manifestPath, manifestSha256: sealed.manifestSha256, finalLoss: 4.4, validationLoss: 4.9 });
    expect(existsSync(join(trained.payload.artifactPath, 'tokenizer.json'))).toBe(true);
    const version = await h.registry.models.getVersion('speeches@1');
    expect(version).toMatchObject({ runId: 'speeches@1-tiny', datasetId: 'speeches@1', datasetSha256: sealed.manifestSha256, tokenizerId: sealed.tokenizerId, metrics: { finalLoss: 4.4, validationLoss: 4.9 } });
    expect(await h.registry.runs.get('speeches@1-tiny')).toMatchObject({ status: 'succeeded', modelVersionId: 'speeches@1', finalLoss: 4.4 });

    // Redelivered seal, request and final checkpoint: no second launch, the same model.trained id.
    await h.bus.publishAll(TOPICS.datasetsSealed, [sealEvent]);
    await h.bus.publishAll(TOPICS.trainingRequested, [h.events(TOPICS.trainingRequested)[0]!]);
    await h.bus.publishAll(TOPICS.trainingCheckpointed, [h.events(TOPICS.trainingCheckpointed)[1]!]);
    await until(() => h.events(TOPICS.modelTrained).length === 2 && h.events(TOPICS.trainingRequested).length >= 3, 'redeliveries handled');
    await sleep(200);
    expect(h.launcher.attempts).toHaveLength(1);
    expect(h.events(TOPICS.modelTrained)[1]!.id).toBe(trained.id);
    expect(new Set(h.events(TOPICS.trainingRequested).map((e) => e.payload.runId))).toEqual(new Set(['speeches@1-tiny']));
    expect(await h.registry.models.listVersions('speeches')).toHaveLength(1);

    const metrics = await (await h.http('/metrics')).text();
    expect(metrics).toMatch(/crucible_training_attempts_total\{[^}]*outcome="finished"[^}]*\} 1/);
    expect(metrics).toMatch(/crucible_training_steps_total\{[^}]*\} 5/);
    expect(metrics).toMatch(/crucible_training_active_runs\{[^}]*\} 0/);
  });

  it('retries a crashed attempt from the last checkpoint, then fails the run when attempts run out', { timeout: 30_000 }, async () => {
    const h = await started();
    const sealed = await seal(h, 'crashy');
    await h.bus.emit(TOPICS.trainingRequested, { runId: 'crash-1', datasetId: sealed.datasetId, preset: 'tiny', hyperParameters: { steps: 10, batchSize: 2, sequenceLength: 16 } }, { key: 'crash-1' });
    await until(() => h.launcher.attempts.length === 1, 'attempt 1');
    const checkpoint = h.launcher.attempts[0]!.writeCheckpoint();
    h.launcher.attempts[0]!.end({ outcome: 'failed', reason: 'training worker was killed by SIGKILL', retriable: true });
    await until(() => h.launcher.attempts.length === 2, 'attempt 2');
    expect(h.launcher.attempts[1]!.job).toMatchObject({ attempt: 2, resumeFrom: checkpoint });
    expect(h.events(TOPICS.trainingFailed)[0]!.payload).toEqual({ runId: 'crash-1', reason: 'training worker was killed by SIGKILL', retriable: true, attempt: 1, lastCheckpoint: checkpoint });
    expect((await h.registry.runs.get('crash-1'))?.attempt).toBe(2);

    h.launcher.attempts[1]!.end({ outcome: 'failed', reason: 'training worker exited with code 134', retriable: true });
    await until(() => h.events(TOPICS.trainingFailed).length === 2, 'the final failure');
    expect(h.events(TOPICS.trainingFailed)[1]!.payload).toMatchObject({ retriable: false, attempt: 2, reason: expect.stringContaining('no attempts left') });
    expect(await h.registry.runs.get('crash-1')).toMatchObject({ status: 'failed', attempt: 2 });
    expect(h.launcher.attempts).toHaveLength(2);
  });

  it('fails at once on a deterministic failure, and refuses requests that cannot run without dead-lettering them', { timeout: 30_000 }, async () => {
    const h = await started();
    const sealed = await seal(h, 'strict');
    await h.bus.emit(TOPICS.trainingRequested, { runId: 'diverges', datasetId: sealed.datasetId, preset: 'tiny' }, { key: 'diverges' });
    await until(() => h.launcher.attempts.length === 1, 'attempt');
    h.launcher.attempts[0]!.end({ outcome: 'failed', reason: 'loss is NaN at step 3', retriable: false });
    await until(() => h.events(TOPICS.trainingFailed).length === 1, 'training.failed');
    expect(h.events(TOPICS.trainingFailed)[0]!.payload).toMatchObject({ runId: 'diverges', retriable: false, attempt: 1, reason: 'loss is NaN at step 3' });

    await h.bus.emit(TOPICS.trainingRequested, { runId: 'no-data', datasetId: 'missing@4' }, { key: 'no-data' });
    await h.bus.emit(TOPICS.trainingRequested, { runId: 'too-long', datasetId: sealed.datasetId, preset: 'tiny', hyperParameters: { sequenceLength: 4096 } }, { key: 'too-long' });
    await h.bus.emit(TOPICS.trainingRequested, { runId: 'lora-no-base', datasetId: sealed.datasetId, method: 'lora' }, { key: 'lora-no-base' });
    await until(() => h.events(TOPICS.trainingFailed).length === 4, 'three refusals');
    const reasons = Object.fromEntries(h.events(TOPICS.trainingFailed).slice(1).map((e) => [e.payload.runId, e.payload.reason]));
    expect(reasons['no-data']).toMatch(/^dataset_not_found: dataset missing@4 is unknown/);
    expect(reasons['too-long']).toMatch(/^invalid_training_request: hyperParameters.sequenceLength 4096 exceeds the model's context length 64/);
    expect(reasons['lora-no-base']).toMatch(/baseModelVersionId is required/);
    expect(await h.registry.runs.get('no-data')).toMatchObject({ status: 'failed', error: reasons['no-data'] });
    expect(h.launcher.attempts).toHaveLength(1);
    expect(await h.transport.countRecords(dlqTopic(TOPICS.trainingRequested))).toBe(0);
  });

  it('cancels a running run from the bus, and ignores cancellations of unknown runs', { timeout: 30_000 }, async () => {
    const h = await started();
    const sealed = await seal(h, 'cancel');
    await h.bus.emit(TOPICS.trainingRequested, { runId: 'to-cancel', datasetId: sealed.datasetId, preset: 'tiny' }, { key: 'to-cancel' });
    await until(() => h.launcher.attempts.length === 1, 'attempt');
    await h.bus.emit(TOPICS.trainingCancellationRequested, { runId: 'nobody' }, { key: 'nobody' });
    await h.bus.emit(TOPICS.trainingCancellationRequested, { runId: 'to-cancel', reason: 'wrong data' }, { key: 'to-cancel' });
    await until(async () => (await h.registry.runs.get('to-cancel'))?.status === 'cancelled', 'cancelled');
    await until(() => !h.runs.isActive('to-cancel'), 'the attempt to end');
    expect(h.launcher.cancelled).toContain('to-cancel');
    expect((await h.registry.runs.get('to-cancel'))?.error).toBe('cancelled: wrong data');
    expect(h.events(TOPICS.trainingFailed)).toHaveLength(0);
    expect(await h.transport.countRecords(dlqTopic(TOPICS.trainingCancellationRequested))).toBe(0);
  });

  it('resumes a run a previous process left running from its last checkpoint', { timeout: 30_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crucible-training-'));
    const registry = await openRegistry(`sqlite:${join(dataDir, 'registry.db')}`);
    const first = await start({ dataDir, registry });
    const sealed = await seal(first, 'resume');
    await first.bus.emit(TOPICS.trainingRequested, { runId: 'long', datasetId: sealed.datasetId, preset: 'tiny', hyperParameters: { steps: 50 } }, { key: 'long' });
    await until(() => first.launcher.attempts.length === 1, 'attempt');
    const checkpoint = first.launcher.attempts[0]!.writeCheckpoint();
    await first.stop(false); // the worker is stopped with the service; the run stays running
    expect((await registry.runs.get('long'))?.status).toBe('running');

    const second = await started({ dataDir, registry });
    await second.runs.recovered;
    expect(second.launcher.attempts).toHaveLength(1);
    expect(second.launcher.attempts[0]!.job).toMatchObject({ runId: 'long', attempt: 1, resumeFrom: checkpoint });
  });

  it('queues runs beyond maxConcurrentRuns and starts them, oldest first, as running ones end', { timeout: 30_000 }, async () => {
    const h = await started();
    const sealed = await seal(h, 'queue');
    for (const runId of ['q1', 'q2', 'q3']) {
      await h.bus.emit(TOPICS.trainingRequested, { runId, datasetId: sealed.datasetId, preset: 'tiny', hyperParameters: { steps: 2, batchSize: 2, sequenceLength: 16 } }, { key: runId });
    }
    await until(async () => (await h.registry.runs.list({ status: 'queued' })).length === 2, 'two queued runs');
    expect(h.launcher.attempts.map((a) => a.job.runId)).toEqual(['q1']);
    await h.bus.emit(TOPICS.trainingCancellationRequested, { runId: 'q2' }, { key: 'q2' });
    await until(async () => (await h.registry.runs.get('q2'))?.status === 'cancelled', 'the queued run cancelled');
    h.launcher.attempts[0]!.finish([3, 2]);
    await until(() => h.launcher.attempts.length === 2, 'the next queued run');
    expect(h.launcher.attempts[1]!.job.runId).toBe('q3');
    await until(async () => (await h.registry.runs.get('q1'))?.status === 'succeeded', 'q1 to succeed');
    expect(h.launcher.cancelled).toEqual(['q2']);
  });

  it('fails the run, without dead-lettering, when its final checkpoint cannot become a version', { timeout: 30_000 }, async () => {
    const h = await started();
    const sealed = await seal(h, 'broken');
    await h.bus.emit(TOPICS.trainingRequested, { runId: 'broken-1', datasetId: sealed.datasetId, preset: 'tiny' }, { key: 'broken-1' });
    await until(() => h.launcher.attempts.length === 1, 'attempt');
    const attempt = h.launcher.attempts[0]!;
    attempt.listener.onFinished({ step: 100, path: join(h.dataDir, 'not-a-checkpoint'), sha256: '0'.repeat(64), loss: 1 });
    attempt.end({ outcome: 'finished' });
    await until(() => h.events(TOPICS.trainingFailed).length === 1, 'training.failed');
    expect(h.events(TOPICS.trainingFailed)[0]!.payload).toMatchObject({ runId: 'broken-1', retriable: false, reason: expect.stringMatching(/^completion failed \(CHECKPOINT_INVALID\): .*not a checkpoint/) });
    expect(await h.registry.runs.get('broken-1')).toMatchObject({ status: 'failed' });
    expect(await h.transport.countRecords(dlqTopic(TOPICS.trainingCheckpointed))).toBe(0);
    expect(h.events(TOPICS.modelTrained)).toHaveLength(0);
  });

  it('requests retraining from the interval timer when onSeal is off, once per dataset version', { timeout: 30_000 }, async () => {
    const h = await started({ config: { ...settings, retrain: { ...settings.retrain, onSeal: false, intervalMinutes: 0.002 } } });
    const first = await seal(h, 'timed');
    await h.bus.emit(TOPICS.datasetsSealed, first, { key: first.dataset });
    await until(() => h.launcher.attempts.length === 1, 'a timer-triggered run');
    expect(h.launcher.attempts[0]!.job.runId).toBe('timed@1-tiny');
    await sleep(500); // several more ticks
    expect(h.events(TOPICS.trainingRequested).map((e) => e.payload.runId)).toEqual(['timed@1-tiny']);
  });

  it('reads JSON bodies itself when the host turned the body parsers off (crucible up)', { timeout: 30_000 }, async () => {
    const h = await started({ bodyParser: false });
    const sealed = await seal(h, 'raw');
    const accepted = await h.http('/v1/training-runs', { method: 'POST', body: JSON.stringify({ runId: 'raw-1', datasetId: sealed.datasetId, preset: 'tiny' }) });
    expect([accepted.status, await accepted.json()]).toEqual([202, { runId: 'raw-1', status: 'requested' }]);
    await until(() => h.launcher.attempts.length === 1, 'the run');
    const notJson = await h.http('/v1/training-runs', { method: 'POST', body: '{"datasetId":' });
    expect([notJson.status, ((await notJson.json()) as { error: { code: string } }).error.code]).toEqual([400, 'invalid_body']);
    expect((await h.http('/v1/training-runs/raw-1/cancel', { method: 'POST', body: JSON.stringify({ reason: 'raw' }) })).status).toBe(202);
    await until(async () => (await h.registry.runs.get('raw-1'))?.error === 'cancelled: raw', 'the cancellation with its reason');
  });

  it('serves the HTTP API with precise errors', { timeout: 30_000 }, async () => {
    const h = await started();
    const sealed = await seal(h, 'api');
    h.service.app.get(TrainingRunsService); // the module's service is resolvable by the host (crucible up)
    const accepted = await h.http('/v1/training-runs', { method: 'POST', body: JSON.stringify({ datasetId: sealed.datasetId, preset: 'tiny', hyperParameters: { steps: 3 } }) });
    expect(accepted.status).toBe(202);
    const { runId } = (await accepted.json()) as { runId: string };
    await until(() => h.launcher.attempts.length === 1, 'the HTTP run to launch');
    h.launcher.attempts[0]!.listener.onProgress({ step: 1, maxSteps: 3, loss: 5, lr: 1e-3, gradNorm: 1, tokensPerSec: 10, mfu: 0.01 });
    await until(async () => (await h.registry.runs.progress(runId)).length === 1, 'progress');

    const one = (await (await h.http(`/v1/training-runs/${runId}`)).json()) as { status: string; progress: { step: number }[] };
    expect(one).toMatchObject({ runId, status: 'running', progress: [{ step: 1, loss: 5 }] });
    const list = (await (await h.http('/v1/training-runs?status=running')).json()) as { runs: { runId: string }[] };
    expect(list.runs.map((r) => r.runId)).toEqual([runId]);
    expect((await h.http(`/v1/training-runs`, { method: 'POST', body: JSON.stringify({ runId, datasetId: sealed.datasetId }) })).status).toBe(200);

    const errors = {
      notJson: await h.http('/v1/training-runs', { method: 'POST', body: '[1]' }),
      badField: await h.http('/v1/training-runs', { method: 'POST', body: JSON.stringify({ datasetId: sealed.datasetId, preset: 'huge' }) }),
      unknownDataset: await h.http('/v1/training-runs', { method: 'POST', body: JSON.stringify({ datasetId: 'ghost@1' }) }),
      tooLong: await h.http('/v1/training-runs', { method: 'POST', body: JSON.stringify({ datasetId: sealed.datasetId, preset: 'tiny', hyperParameters: { sequenceLength: 65 } }) }),
      badStatus: await h.http('/v1/training-runs?status=done'),
      unknownRun: await h.http('/v1/training-runs/ghost'),
    };
    const bodies = Object.fromEntries(await Promise.all(Object.entries(errors).map(async ([k, r]) => [k, { status: r.status, ...((await r.json()) as { error: { code: string; message: string } }).error }])));
    expect(bodies.notJson).toMatchObject({ status: 400, code: 'invalid_body' });
    expect(bodies.badField).toMatchObject({ status: 422, code: 'invalid_training_request', message: expect.stringContaining('preset') });
    expect(bodies.unknownDataset).toMatchObject({ status: 404, code: 'dataset_not_found' });
    expect(bodies.tooLong).toMatchObject({ status: 422, code: 'invalid_training_request', message: expect.stringContaining('context length 64') });
    expect(bodies.badStatus).toMatchObject({ status: 422, code: 'invalid_status' });
    expect(bodies.unknownRun).toMatchObject({ status: 404, code: 'run_not_found' });

    const cancel = await h.http(`/v1/training-runs/${runId}/cancel`, { method: 'POST', body: JSON.stringify({ reason: 'enough' }) });
    expect(cancel.status).toBe(202);
    await until(async () => (await h.registry.runs.get(runId))?.status === 'cancelled', 'cancelled over HTTP');
    expect((await h.http('/v1/training-runs/ghost/cancel', { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
