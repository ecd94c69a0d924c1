/** CRUCIBLE_TRAINING_JOB decoding: the service's TrainingJob passes through; a TrainingRun spec becomes one through jobSpec; anything else is refused, saying what is missing. */
import { presets } from '@crucible/engine';
import type { DatasetSealed } from '@crucible/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyDataset } from '../testing/tiny-dataset';
import { parseTrainingSettings } from '../training.config';
import { PodJobError } from './pod-job.errors';
import { decodePodJob, runIdOf } from './pod-job';

const dir = mkdtempSync(join(tmpdir(), 'pod-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let sealed: DatasetSealed;
beforeAll(async () => {
  sealed = await writeTinyDataset(join(dir, 'datasets'), { name: 'tiny' });
});

const context = { settings: parseTrainingSettings({ threads: 2, checkpointEvery: 5, evalEvery: 10 }), dataDir: '/data', checkpointDir: '/checkpoints' };
const refusal = (value: unknown) => {
  try {
    decodePodJob(typeof value === 'string' ? value : JSON.stringify(value), context);
  } catch (error) {
    expect(error).toBeInstanceOf(PodJobError);
    expect((error as PodJobError).retriable).toBe(false);
    return `${(error as PodJobError).code}: ${(error as PodJobError).message}`;
  }
  throw new Error('expected a refusal');
};

describe('decodePodJob', () => {
  it('passes the service’s TrainingJob through unchanged but for the pod’s checkpoint directory', () => {
    const job = {
      runId: 'r1',
      attempt: 2,
      // Key order differs from the schema's: a resumed checkpoint is compared with this config as JSON text.
      config: { nLayer: 2, vocabSize: 300, contextLength: 64, nHead: 2, nEmbd: 32, layerNormEpsilon: 1e-5, initStd: 0.02, dropout: 0 },
      manifestPath: '/data/datasets/tiny@1/manifest.json',
      hyper: { maxSteps: 6, threads: 4 },
      checkpointDir: '/var/lib/crucible/runs/r1/checkpoints',
      resumeFrom: '/checkpoints',
      executionProviders: ['cuda'],
    };
    const decoded = decodePodJob(JSON.stringify(job), context);
    expect(decoded).toEqual({ ...job, checkpointDir: '/checkpoints' });
    expect(JSON.stringify(decoded.config)).toBe(JSON.stringify(job.config));
  });

  it('builds the job of a hand-written TrainingRun spec with the service’s jobSpec', () => {
    const spec = {
      runId: 'hand-1',
      dataset: { id: sealed.datasetId, manifestPath: sealed.manifestPath },
      model: { name: 'tiny-model', preset: 'tiny' },
      hyperParameters: { steps: 12, batchSize: 2, sequenceLength: 16, checkpointEvery: 3 },
      method: 'full',
    };
    const job = decodePodJob(JSON.stringify(spec), context);
    expect(job).toMatchObject({ runId: 'hand-1', attempt: 1, manifestPath: sealed.manifestPath, checkpointDir: '/checkpoints' });
    expect(job.config).toEqual({ ...presets.tiny, vocabSize: sealed.vocabSize });
    expect(job.hyper).toMatchObject({ maxSteps: 12, batchSize: 2, seqLen: 16, threads: 2, checkpointEvery: 3, evalEvery: 10 });
    expect(decodePodJob(JSON.stringify(spec), { ...context, checkpointDir: undefined }).checkpointDir).toBe('/data/runs/hand-1/checkpoints');
  });

  it('refuses, naming what is missing or wrong', () => {
    expect(refusal('')).toMatch(/^invalid_training_job: CRUCIBLE_TRAINING_JOB is empty/);
    expect(refusal('{runId')).toMatch(/is not JSON/);
    expect(refusal({ runId: 'r1' })).toMatch(/neither a TrainingJob .* nor a TrainingRun spec: missing dataset, model/);
    expect(refusal({ runId: 'r1', config: { ...presets.tiny }, hyper: {} })).toMatch(/not a valid TrainingJob: .*attempt.*manifestPath.*checkpointDir/);
    expect(refusal({ runId: 'r1', dataset: { id: 'd@1', manifestPath: join(dir, 'nope.json') }, model: { preset: 'tiny' } })).toMatch(/manifest .*nope.json does not exist in the pod/);
    expect(refusal({ runId: 'r1', dataset: { id: sealed.datasetId, manifestPath: sealed.manifestPath }, model: { preset: 'tiny', config: { nHead: 3 } } })).toMatch(
      /^invalid_training_job: invalid_training_request: invalid modelConfig: .*nEmbd must be divisible by nHead/,
    );
    expect(refusal({ runId: 'r1', dataset: { id: sealed.datasetId, manifestPath: sealed.manifestPath }, model: {}, baseModelVersionId: 'm@1' })).toMatch(
      /^unsupported_training_spec: baseModelVersionId 'm@1' needs the registry/,
    );
  });

  it('finds the run id of a job it cannot decode, to announce the failure', () => {
    expect(runIdOf('{"runId":"r9","dataset":1}')).toBe('r9');
    expect(runIdOf('{oops')).toBeUndefined();
    expect(runIdOf(undefined)).toBeUndefined();
  });
});
