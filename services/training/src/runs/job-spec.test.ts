import type { DatasetSealed, TrainingRequested } from '@crucible/contracts';
import { TrainingRequestedSchema } from '@crucible/contracts';
import { presets } from '@crucible/engine';
import { describe, expect, it } from 'vitest';
import { parseTrainingSettings } from '../training.config';
import { TrainingError } from '../training.errors';
import { jobSpec } from './job-spec';

const dataset: DatasetSealed = {
  dataset: 'sotu',
  datasetId: 'sotu@2',
  tokenizerId: 'sha256:tok',
  manifestPath: '/data/datasets/sotu@2/manifest.json',
  manifestSha256: 'f'.repeat(64),
  dtype: 'uint16',
  vocabSize: 4000,
  documents: 10,
  tokens: { train: 1000, validation: 100 },
  shards: [],
};
const settings = parseTrainingSettings({ threads: 2, checkpointEvery: 25, evalEvery: 40, evalBatches: 3 });
const request = (fields: Record<string, unknown>): TrainingRequested => TrainingRequestedSchema.parse({ runId: 'r1', datasetId: 'sotu@2', ...fields });
const spec = (fields: Record<string, unknown>) => jobSpec({ request: request(fields), dataset, settings, dataDir: '/data' });
const refusal = (fields: Record<string, unknown>) => {
  try {
    spec(fields);
  } catch (error) {
    expect(error).toBeInstanceOf(TrainingError);
    return `${(error as TrainingError).code}: ${(error as TrainingError).message}`;
  }
  throw new Error('expected a refusal');
};

describe('jobSpec', () => {
  it('sizes the preset to the dataset vocabulary and maps the hyper-parameters onto the engine', () => {
    const job = spec({ preset: 'small', hyperParameters: { steps: 30, batchSize: 4, sequenceLength: 128, learningRate: 1e-3, gradAccumulation: 2, seed: 9 } });
    expect(job.config).toMatchObject({ ...presets.small, vocabSize: 4000 });
    expect(job.hyper).toMatchObject({ maxSteps: 30, batchSize: 4, seqLen: 128, lr: 1e-3, minLr: 1e-4, gradAccumSteps: 2, seed: 9, threads: 2, checkpointEvery: 25, evalEvery: 30, evalBatches: 3 });
    expect(job).toMatchObject({ runId: 'r1', attempt: 1, manifestPath: dataset.manifestPath, checkpointDir: '/data/runs/r1/checkpoints' });
    expect(job.resumeFrom).toBeUndefined();
  });

  it('takes modelConfig over the preset, and the default preset when neither is named', () => {
    expect(spec({ preset: 'tiny', modelConfig: { nLayer: 3, vocabSize: 4096 } }).config).toMatchObject({ nLayer: 3, nEmbd: 32, vocabSize: 4096 });
    expect(spec({}).config).toMatchObject({ nEmbd: presets.small.nEmbd, vocabSize: 4000 });
    expect(spec({ preset: 'tiny' }).hyper).toMatchObject({ maxSteps: 100, seqLen: 64, evalEvery: 40 });
  });

  it('refuses what cannot train, saying why', () => {
    expect(refusal({ preset: 'tiny', modelConfig: { nHead: 3 } })).toMatch(/^invalid_training_request: invalid modelConfig: .*nEmbd must be divisible by nHead/);
    expect(refusal({ preset: 'tiny', modelConfig: { vocabSize: 1000 } })).toMatch(/modelConfig.vocabSize 1000 is smaller than the vocabulary of sotu@2 \(4000\)/);
    expect(refusal({ preset: 'tiny', hyperParameters: { sequenceLength: 65 } })).toMatch(/sequenceLength 65 exceeds the model's context length 64/);
    expect(refusal({ method: 'prompt-tuning' })).toMatch(/method 'prompt-tuning' adapts an existing model: baseModelVersionId is required/);
    expect(refusal({ runId: '../../etc' })).toMatch(/runId '..\/..\/etc' must match/);
  });
});

describe('execution providers', () => {
  const withProvider = (executionProvider: 'auto' | 'cpu' | 'cuda', fields: Record<string, unknown>) =>
    jobSpec({ request: request({ preset: 'tiny', ...fields }), dataset, settings: parseTrainingSettings({ threads: 2, executionProvider }), dataDir: '/data' }).executionProviders;

  it('asks for CUDA when the request wants GPUs, and leaves a GPU-less request to the worker', () => {
    expect(withProvider('auto', { resources: { gpus: 1 } })).toEqual(['cuda']);
    expect(withProvider('auto', {})).toBeUndefined();
    expect(spec({ preset: 'tiny' })).not.toHaveProperty('executionProviders');
  });

  it('lets the settings pin the CPU (a CPU-only cluster) or CUDA', () => {
    expect(withProvider('cpu', { resources: { gpus: 4 } })).toEqual(['cpu']);
    expect(withProvider('cuda', {})).toEqual(['cuda']);
  });
});
