/**
 * LocalLauncher with real worker processes and a real (tiny) dataset: progress and
 * checkpoints over IPC, the final checkpoint, a SIGKILLed worker reported as a retriable
 * failure, a resumed attempt continuing the exact loss sequence, cancel, and a job the
 * engine rejects reported as non-retriable.
 */
import { presets } from '@crucible/engine';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatasetSealed } from '@crucible/contracts';
import { writeTinyDataset } from '../../testing/tiny-dataset';
import type { JobCheckpoint, JobFinished, JobProgress, LaunchListener, TrainingJob } from '../launcher';
import { checkpointDigest } from './checkpoint-digest';
import { LocalLauncher } from './local.launcher';

const dir = mkdtempSync(join(tmpdir(), 'training-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recorder() {
  const seen = { progress: [] as JobProgress[], checkpoints: [] as JobCheckpoint[], finished: [] as JobFinished[] };
  const listener: LaunchListener = {
    onProgress: (p) => seen.progress.push(p),
    onCheckpoint: (c) => seen.checkpoints.push(c),
    onFinished: (f) => seen.finished.push(f),
  };
  return { seen, listener };
}

const jobFor = (sealed: DatasetSealed, runId: string, maxSteps: number, extra: Partial<TrainingJob> = {}): TrainingJob => ({
  runId,
  attempt: 1,
  config: { ...presets.tiny, vocabSize: sealed.vocabSize },
  manifestPath: sealed.manifestPath,
  hyper: { maxSteps, batchSize: 2, seqLen: 16, lr: 3e-3, warmupSteps: 1, seed: 11, threads: 1, checkpointEvery: 2, evalEvery: maxSteps, evalBatches: 1 },
  checkpointDir: join(dir, 'runs', runId, 'checkpoints'),
  ...extra,
});

describe('LocalLauncher', () => {
  const launcher = new LocalLauncher({ onWorkerOutput: () => undefined });
  afterAll(() => launcher.close());

  it('trains in a worker, reports every step and checkpoint, and resumes a killed run into the same losses', { timeout: 180_000 }, async () => {
    const sealed = await writeTinyDataset(join(dir, 'datasets'), { name: 'tiny' });
    const whole = recorder();
    const full = launcher.launch(jobFor(sealed, 'whole', 6), whole.listener);
    expect(await full.exit).toEqual({ outcome: 'finished' });
    expect(whole.seen.progress.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(whole.seen.checkpoints.map((c) => c.step)).toEqual([2, 4]);
    const [finished] = whole.seen.finished;
    expect(finished?.step).toBe(6);
    expect(finished?.loss).toBe(whole.seen.progress[5]!.loss);
    expect(finished?.valLoss).toBeGreaterThan(0);
    expect(finished?.sha256).toBe(checkpointDigest(finished!.path));
    expect(whole.seen.progress[5]!.loss).toBeLessThan(whole.seen.progress[0]!.loss);

    // Kill the second run's worker once its step-4 checkpoint exists, then resume it from there.
    const killed = recorder();
    const job = jobFor(sealed, 'killed', 6);
    const first = launcher.launch(job, {
      ...killed.listener,
      onCheckpoint: (c) => {
        killed.listener.onCheckpoint(c);
        if (c.step === 4) process.kill(launcher.pidOf('killed')!, 'SIGKILL');
      },
    });
    const exit = await first.exit;
    expect(exit).toMatchObject({ outcome: 'failed', retriable: true });
    expect(exit.outcome === 'failed' && exit.reason).toContain('SIGKILL');
    expect(killed.seen.finished).toHaveLength(0);

    const resumed = recorder();
    const second = launcher.launch({ ...job, attempt: 2, resumeFrom: killed.seen.checkpoints.at(-1)!.path }, resumed.listener);
    expect(await second.exit).toEqual({ outcome: 'finished' });
    expect(resumed.seen.progress[0]!.step).toBe(5);
    expect(resumed.seen.progress.map((p) => p.loss)).toEqual(whole.seen.progress.slice(4).map((p) => p.loss));
    expect(resumed.seen.finished[0]!.loss).toBe(finished!.loss);
  });

  it('cancels a running worker, and reports a job the engine rejects as not retriable', { timeout: 120_000 }, async () => {
    const sealed = await writeTinyDataset(join(dir, 'datasets'), { name: 'tiny2' });
    const cancelled = recorder();
    const handle = launcher.launch(jobFor(sealed, 'cancel-me', 10_000), {
      ...cancelled.listener,
      onProgress: (p) => {
        cancelled.listener.onProgress(p);
        if (p.step === 2) void launcher.cancel('cancel-me');
      },
    });
    expect(await handle.exit).toEqual({ outcome: 'cancelled' });
    expect(await launcher.cancel('cancel-me')).toBe(false);

    // The model's vocabulary is smaller than the dataset's: the engine refuses, deterministically.
    const rejected = launcher.launch(jobFor(sealed, 'bad', 4, { config: { ...presets.tiny, vocabSize: 100 } }), recorder().listener);
    const exit = await rejected.exit;
    expect(exit).toMatchObject({ outcome: 'failed', retriable: false });
    expect(exit.outcome === 'failed' && exit.reason).toContain('vocabulary');
  });
});
