/**
 * train-pod.ts as a real child process (node scripts/run-ts.cjs …) with the env the operator's
 * Job sets (training-job.builder.ts), publishing to the real Kafka, on a tiny sealed dataset:
 * progress (throttled) and the final checkpoint on the bus; a pod SIGKILLed after its first
 * checkpoint whose replacement, started with the same env, resumes there and ends on the final
 * loss of an uninterrupted run; jobs that can never train exit 3 with `training.failed
 * {retriable: false}`; with the operator's volume layout (the run's checkpoint root mounted at
 * the pod's own path, CRUCIBLE_CHECKPOINT_SHARED_DIR naming it as the services see it), every
 * published checkpoint path is the services' and the final one reads back there as completion
 * reads it. Run: npx vitest run --project integration services/training/src/pod
 */
import { EventBus, KafkaBus, type Subscription } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { presets, readCheckpoint } from '@crucible/engine';
import { Kafka, logLevel } from 'kafkajs';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSealed } from '@crucible/contracts';
import type { TrainingJob } from '../launchers/launcher';
import { checkpointDigest } from '../launchers/local/checkpoint-digest';
import { findRunTs } from '../launchers/local/local.launcher';
import { runEventId } from '../runs/event-ids';
import { writeTinyDataset } from '../testing/tiny-dataset';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const POD_ENTRY = join(__dirname, 'train-pod.ts');
const dir = mkdtempSync(join(tmpdir(), 'train-pod-it-'));
const tag = randomBytes(4).toString('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(10);
  }
}

type Seen = { progressed: Event<typeof TOPICS.trainingProgressed>[]; checkpointed: Event<typeof TOPICS.trainingCheckpointed>[]; failed: Event<typeof TOPICS.trainingFailed>[] };
const seen: Seen = { progressed: [], checkpointed: [], failed: [] };
const of = <E extends { payload: { runId: string } }>(events: E[], runId: string) => events.filter((e) => e.payload.runId === runId);

const bus = new EventBus(new KafkaBus({ brokers, clientId: 'train-pod-it' }), 'crucible/train-pod-it');
const subscriptions: Subscription[] = [];

/** Consumer groups at the current end of their topics before joining: earlier runs' records are not read again. */
async function groupsAtEnd(pairs: readonly (readonly [string, string])[]): Promise<void> {
  const admin = new Kafka({ clientId: 'train-pod-it-admin', brokers, logLevel: logLevel.NOTHING }).admin();
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

let sealed: DatasetSealed;
beforeAll(async () => {
  sealed = await writeTinyDataset(join(dir, 'datasets'), { name: 'pod' });
  const topics = [TOPICS.trainingProgressed, TOPICS.trainingCheckpointed, TOPICS.trainingFailed] as const;
  const group = (t: string) => `train-pod-it.${tag}.${t}`;
  await groupsAtEnd(topics.map((t) => [group(t), t] as const));
  // Delivery is at-least-once (a rebalance redelivers): keep each event id once, as any consumer of these topics must.
  const keep = <E extends { id: string }>(into: E[]) => async (e: E) => void (into.some((x) => x.id === e.id) || into.push(e));
  subscriptions.push(
    await bus.subscribe(TOPICS.trainingProgressed, group(TOPICS.trainingProgressed), keep(seen.progressed)),
    await bus.subscribe(TOPICS.trainingCheckpointed, group(TOPICS.trainingCheckpointed), keep(seen.checkpointed)),
    await bus.subscribe(TOPICS.trainingFailed, group(TOPICS.trainingFailed), keep(seen.failed)),
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(subscriptions.map((s) => s.stop()));
  await bus.transport.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The service's TrainingJob as the operator hands it over: paths rewritten to the pod's mounts, resumeFrom = the checkpoint root. */
function operatorEnv(runId: string, job: Record<string, unknown> | string, checkpointDir = join(dir, 'runs', runId)): Record<string, string> {
  const trainingJob = typeof job === 'string' ? job : JSON.stringify({ ...job, runId, checkpointDir, resumeFrom: checkpointDir });
  return {
    CRUCIBLE_BUS: 'kafka',
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_CLIENT_ID: 'crucible-trainer',
    CRUCIBLE_RUN_ID: runId,
    CRUCIBLE_TRAINING_RUN: `train-${runId}`,
    CRUCIBLE_TRAINING_JOB: trainingJob,
    CRUCIBLE_DATASET_MANIFEST: sealed.manifestPath,
    CRUCIBLE_CHECKPOINT_DIR: checkpointDir,
    CRUCIBLE_RESUME_FROM: checkpointDir,
    CRUCIBLE_RESUME: 'latest',
    CRUCIBLE_DATA_DIR: join(dir, 'data'),
    POD_NAME: `train-${runId}-${randomBytes(3).toString('hex')}`,
    TRAINING_PROGRESS_EVERY_STEPS: '3',
    TRAINING_PROGRESS_INTERVAL_MS: '600000',
  };
}

interface Pod {
  readonly child: ChildProcess;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly output: () => string;
}

function startPod(env: Record<string, string>): Pod {
  const child = spawn(process.execPath, [findRunTs(), POD_ENTRY], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (output += s));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, exit, output: () => output };
}

const MAX_STEPS = 24;
/** Batch 8 × 64 tokens: slow enough (tens of ms a step) that a kill right after the first checkpoint lands well before the end. */
const job = (): Omit<TrainingJob, 'runId' | 'checkpointDir'> => ({
  attempt: 1,
  config: { ...presets.tiny, vocabSize: sealed.vocabSize },
  manifestPath: sealed.manifestPath,
  hyper: { maxSteps: MAX_STEPS, batchSize: 8, seqLen: 64, lr: 3e-3, minLr: 3e-4, warmupSteps: 2, seed: 5, threads: 1, checkpointEvery: 4, evalEvery: MAX_STEPS, evalBatches: 1 },
});

// The tests run in order: the killed run is compared with the uninterrupted run of the first test.
describe('train-pod.ts (real child processes, real Kafka)', () => {
  const whole = `pod-${tag}-whole`;
  const killed = `pod-${tag}-killed`;

  it('trains, publishing throttled progress, each checkpoint and the final checkpoint for completion', { timeout: 180_000 }, async () => {
    const pod = startPod(operatorEnv(whole, job()));
    const { code } = await pod.exit;
    expect(code, pod.output()).toBe(0);
    // Each topic has its own consumer, so one may lag the other: wait for the last event of both.
    const lastOf = (runId: string) => of(seen.checkpointed, runId).some((e) => e.payload.final) && of(seen.progressed, runId).some((e) => e.payload.step === MAX_STEPS);
    await until(() => lastOf(whole), 30_000, 'the final checkpoint and the last step on the bus');

    // The service's throttle: the first step, every 3rd after it, the last (which has a validation loss).
    expect(of(seen.progressed, whole).map((e) => e.payload.step), pod.output()).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 24]);
    const checkpoints = of(seen.checkpointed, whole);
    expect(checkpoints.filter((e) => !e.payload.final).map((e) => e.payload.step), pod.output()).toEqual([4, 8, 12, 16, 20]);
    const final = checkpoints.find((e) => e.payload.final)!;
    const last = of(seen.progressed, whole).at(-1)!;
    expect(final.payload).toMatchObject({ step: MAX_STEPS, path: join(dir, 'runs', whole, 'step-00000024'), loss: last.payload.loss, validationLoss: last.payload.validationLoss });
    expect(final.payload.sha256).toBe(checkpointDigest(final.payload.path));
    expect(last.payload.loss).toBeLessThan(of(seen.progressed, whole)[0]!.payload.loss);
    // The ids the training service derives for the same facts.
    expect(final.id).toBe(runEventId(whole, 'checkpointed', MAX_STEPS, 'final'));
    expect(last.id).toBe(runEventId(whole, 'progressed', MAX_STEPS));
    expect(final.lineage).toMatchObject({ runId: whole, datasetId: sealed.datasetId, tokenizerId: sealed.tokenizerId });
    expect(of(seen.failed, whole)).toEqual([]);
  });

  it('is SIGKILLed after its first checkpoint; the next pod with the same env resumes there and ends on the same final loss', { timeout: 180_000 }, async () => {
    const env = operatorEnv(killed, job());
    const root = join(dir, 'runs', killed);
    const first = startPod(env);
    await until(() => existsSync(join(root, 'latest')) || first.child.exitCode !== null, 120_000, 'the first checkpoint');
    first.child.kill('SIGKILL');
    expect(await first.exit, first.output()).toMatchObject({ signal: 'SIGKILL' });
    const resumedFrom = Number(readFileSync(join(root, 'latest'), 'utf8').trim().replace('step-', ''));
    expect(resumedFrom).toBeLessThan(MAX_STEPS);

    const second = startPod(env);
    const { code } = await second.exit;
    expect(code, second.output()).toBe(0);
    expect(second.output()).toContain(`"resumeFrom":"${join(root, `step-${String(resumedFrom).padStart(8, '0')}`)}"`);
    await until(
      () => of(seen.checkpointed, killed).some((e) => e.payload.final) && of(seen.progressed, killed).some((e) => e.payload.step === MAX_STEPS),
      30_000,
      'the resumed run’s final checkpoint and last step',
    );

    // The second pod's first published step (its log names each) is the one after the checkpoint: nothing before it was trained again.
    const published = second
      .output()
      .split('\n')
      .filter((line) => line.includes('"msg":"training '))
      .map((line) => (JSON.parse(line) as { step: number }).step);
    expect(published[0]).toBe(resumedFrom + 1);
    expect(published.at(-1)).toBe(MAX_STEPS);
    const final = of(seen.checkpointed, killed).filter((e) => e.payload.final);
    const wholeFinal = of(seen.checkpointed, whole).find((e) => e.payload.final)!;
    expect(final).toHaveLength(1);
    expect(final[0]!.payload.loss).toBe(wholeFinal.payload.loss);
    expect(final[0]!.payload.validationLoss).toBe(wholeFinal.payload.validationLoss);
    // Steps both runs published carry identical losses.
    const wholeLoss = new Map(of(seen.progressed, whole).map((e) => [e.payload.step, e.payload.loss]));
    for (const e of of(seen.progressed, killed).filter((p) => wholeLoss.has(p.payload.step))) expect(e.payload.loss).toBe(wholeLoss.get(e.payload.step));
    expect(of(seen.failed, killed)).toEqual([]);
  });

  it('reports checkpoint paths as the services see the volume (CRUCIBLE_CHECKPOINT_SHARED_DIR), and the service reads the final one there', { timeout: 180_000 }, async () => {
    const mapped = `pod-${tag}-mapped`;
    // One directory, two views, as a PVC sub-path is in the trainer pod (/checkpoints) and in the training service (/var/lib/crucible/checkpoints/runs/<runId>).
    const shared = join(dir, 'service-view', 'checkpoints', 'runs', mapped);
    const podView = join(dir, 'pod-view', mapped);
    mkdirSync(shared, { recursive: true });
    mkdirSync(join(dir, 'pod-view'), { recursive: true });
    symlinkSync(shared, podView);
    const env = { ...operatorEnv(mapped, job(), podView), CRUCIBLE_CHECKPOINT_SHARED_DIR: shared };
    const pod = startPod(env);
    const { code } = await pod.exit;
    expect(code, pod.output()).toBe(0);
    await until(() => of(seen.checkpointed, mapped).some((e) => e.payload.final), 30_000, 'the final checkpoint on the bus');
    const checkpoints = of(seen.checkpointed, mapped);
    expect(checkpoints.length).toBeGreaterThan(1);
    for (const e of checkpoints) expect(e.payload.path.startsWith(`${shared}/`), e.payload.path).toBe(true);
    const final = checkpoints.find((e) => e.payload.final)!;
    expect(final.payload.path).toBe(join(shared, 'step-00000024'));
    // What completion does with it on the service's side: the digest matches and the checkpoint reads.
    expect(checkpointDigest(final.payload.path)).toBe(final.payload.sha256);
    expect(readCheckpoint(final.payload.path).state.step).toBe(MAX_STEPS);
    // The pod itself resumed and wrote through its own path.
    expect(pod.output()).toContain(`"checkpointDir":"${podView}"`);
  });

  it('exits 3 with a non-retriable training.failed for a job that can never train', { timeout: 120_000 }, async () => {
    // The engine refuses a model whose vocabulary is smaller than the dataset's.
    const engineRefusal = `pod-${tag}-vocab`;
    const refused = startPod(operatorEnv(engineRefusal, { ...job(), config: { ...presets.tiny, vocabSize: 100 } }));
    // A hand-written TrainingRun spec with an impossible model config: refused before training.
    const badSpec = `pod-${tag}-spec`;
    const spec = { runId: badSpec, dataset: { id: sealed.datasetId, manifestPath: sealed.manifestPath }, model: { preset: 'tiny', config: { nHead: 3 } }, hyperParameters: {}, method: 'full' };
    const rejected = startPod(operatorEnv(badSpec, JSON.stringify(spec)));

    expect((await refused.exit).code, refused.output()).toBe(3);
    expect((await rejected.exit).code, rejected.output()).toBe(3);
    await until(() => of(seen.failed, engineRefusal).length > 0 && of(seen.failed, badSpec).length > 0, 30_000, 'both failures on the bus');
    const [vocab] = of(seen.failed, engineRefusal);
    expect(vocab!.payload).toMatchObject({ runId: engineRefusal, retriable: false, attempt: 1 });
    expect(vocab!.payload.reason).toContain('vocabulary');
    // The id the service uses when it fails the run after the TrainingRun failed: one fact, one id.
    expect(vocab!.id).toBe(runEventId(engineRefusal, 'failed', 1));
    expect(of(seen.failed, badSpec)[0]!.payload).toMatchObject({ retriable: false, reason: expect.stringMatching(/^invalid_training_job: invalid_training_request: invalid modelConfig: .*nEmbd must be divisible by nHead/) });
    expect(of(seen.progressed, engineRefusal)).toEqual([]);
  });
});
