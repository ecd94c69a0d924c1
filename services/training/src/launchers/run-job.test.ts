/**
 * runTrainingJob hands the job's execution providers to ONNX Runtime. Without a GPU the proof
 * is ORT's own CUDA provider loader failing (no libonnxruntime_providers_cuda.so here, as in
 * every image but the GPU trainer's); with those libraries present the test is skipped — the
 * CUDA path itself is checked on a GPU by bench/gpu.
 */
import { presets } from '@crucible/engine';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTinyDataset } from '../testing/tiny-dataset';
import type { TrainingJob } from './launcher';
import { runTrainingJob } from './run-job';

const dir = mkdtempSync(join(tmpdir(), 'run-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ortDir = dirname(createRequire(__filename).resolve('onnxruntime-node/package.json'));
const cudaProviderPresent = existsSync(join(ortDir, 'bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so'));

describe('runTrainingJob', () => {
  it.skipIf(cudaProviderPresent)('asks ORT for the CUDA provider when the job says so', { timeout: 60_000 }, async () => {
    const sealed = await writeTinyDataset(join(dir, 'datasets'), { name: 'ep' });
    const job = (executionProviders: TrainingJob['executionProviders']): TrainingJob => ({
      runId: 'ep',
      attempt: 1,
      config: { ...presets.tiny, vocabSize: sealed.vocabSize },
      manifestPath: sealed.manifestPath,
      hyper: { maxSteps: 1, batchSize: 1, seqLen: 8, threads: 1, checkpointEvery: 0, evalEvery: 0 },
      checkpointDir: join(dir, 'checkpoints', String(executionProviders)),
      ...(executionProviders && { executionProviders }),
    });
    const reports: string[] = [];
    await expect(runTrainingJob(job(['cuda']), async (m) => void reports.push(m.type))).rejects.toThrow(/Cuda/);
    expect(reports).toEqual([]);
    await runTrainingJob(job(['cpu']), async (m) => void reports.push(m.type));
    expect(reports).toEqual(['progress', 'finished']);
  });
});
