import type { DatasetSealed } from '@crucible/contracts';
import { describe, expect, it } from 'vitest';
import { RetrainPolicySchema } from '../training.config';
import { decideRetrain, retrainRunId } from './retrain-policy';

const sealed = (n: number, trainTokens: number): DatasetSealed => ({
  dataset: 'sotu',
  datasetId: `sotu@${n}`,
  tokenizerId: 'sha256:abc',
  manifestPath: `/data/datasets/sotu@${n}/manifest.json`,
  manifestSha256: 'f'.repeat(64),
  dtype: 'uint16',
  vocabSize: 300,
  documents: 10,
  tokens: { train: trainTokens, validation: 10 },
  shards: [],
});

const policy = (overrides: Record<string, unknown> = {}) => RetrainPolicySchema.parse({ preset: 'tiny', minNewTokens: 1000, hyperParameters: { steps: 5 }, ...overrides });

describe('decideRetrain', () => {
  it('trains the first seal with enough tokens, with a run id derived from the dataset version and preset', () => {
    const decision = decideRetrain(policy(), sealed(1, 5000), undefined, 'seal');
    expect(decision.kind).toBe('train');
    if (decision.kind !== 'train') return;
    expect(decision.request).toMatchObject({ runId: 'sotu@1-tiny', datasetId: 'sotu@1', preset: 'tiny', hyperParameters: { steps: 5 }, method: 'full' });
    expect(decision.request.model).toBeUndefined();
    expect(decision.mark).toEqual({ dataset: 'sotu', datasetId: 'sotu@1', trainTokens: 5000, runId: 'sotu@1-tiny' });
    expect(retrainRunId('sotu@1', 'tiny')).toBe(decision.request.runId);
  });

  it('counts only the tokens added since the version last trained on (versions are cumulative)', () => {
    const last = { dataset: 'sotu', datasetId: 'sotu@1', trainTokens: 5000, runId: 'sotu@1-tiny' };
    expect(decideRetrain(policy(), sealed(2, 5999), last, 'seal')).toMatchObject({ kind: 'skip', reason: expect.stringContaining('999 new train tokens since sotu@1') });
    expect(decideRetrain(policy(), sealed(3, 6000), last, 'seal')).toMatchObject({ kind: 'train', request: { runId: 'sotu@3-tiny' } });
    // An older version delivered late never retrains backwards.
    expect(decideRetrain(policy(), sealed(0, 100), last, 'seal').kind).toBe('skip');
  });

  it('re-announces the same request when the seal that triggered it is delivered again', () => {
    const last = { dataset: 'sotu', datasetId: 'sotu@1', trainTokens: 5000, runId: 'sotu@1-tiny' };
    expect(decideRetrain(policy(), sealed(1, 5000), last, 'seal')).toMatchObject({ kind: 'repeat', request: { runId: 'sotu@1-tiny' } });
    expect(decideRetrain(policy(), sealed(1, 5000), last, 'timer').kind).toBe('skip');
  });

  it('respects onSeal off for seals but lets the timer train', () => {
    const off = policy({ onSeal: false, intervalMinutes: 5 });
    expect(decideRetrain(off, sealed(1, 5000), undefined, 'seal')).toMatchObject({ kind: 'skip', reason: 'retrain.onSeal is off' });
    expect(decideRetrain(off, sealed(1, 5000), undefined, 'timer').kind).toBe('train');
  });

  it('names the model when the policy says so, and never trains zero new tokens even with minNewTokens 0', () => {
    expect(decideRetrain(policy({ model: 'speeches' }), sealed(1, 5000), undefined, 'seal')).toMatchObject({ request: { model: 'speeches' } });
    const last = { dataset: 'sotu', datasetId: 'sotu@1', trainTokens: 5000, runId: 'sotu@1-tiny' };
    expect(decideRetrain(policy({ minNewTokens: 0 }), sealed(2, 5000), last, 'seal').kind).toBe('skip');
  });
});
