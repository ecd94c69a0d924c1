import { openRegistry, type Registry } from '@crucible/registry';
import { versionInput } from '@crucible/registry/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { championBaseline, type HeldOutMeasure } from './champion-baseline';
import type { HeldOutSection } from './evaluation-report';

const measured = (perplexity: number): HeldOutSection => ({
  perplexity, bitsPerByte: 1.5, tokens: 100, bytes: 300, windows: 2, seqLen: 50, totalNats: 100 * Math.log(perplexity), meanLoss: Math.log(perplexity), manifestPath: '/m.json', shards: 1,
});

describe('champion baseline', () => {
  let registry: Registry;
  const calls: string[][] = [];
  const remeasure = (result: HeldOutSection): HeldOutMeasure => async (artifact, manifest) => (calls.push([artifact, manifest]), result);
  afterEach(async () => {
    calls.length = 0;
    await registry.close();
  });

  async function seed(championDataset: string, championTokenizer = 'tok') {
    registry = await openRegistry('sqlite::memory:');
    await registry.models.registerVersion(versionInput('m', 'r1', { datasetId: championDataset, tokenizerId: championTokenizer, artifactPath: '/models/m/1' }));
    await registry.reports.save({ versionId: 'm@1', kind: 'evaluation', verdict: { passed: true, reasons: [] }, metrics: { perplexity: 40, bitsPerByte: 2, 'x.bleu': 9 }, report: {} });
    await registry.models.setAlias('m', 'champion', 'm@1');
  }
  const challenger = { versionId: 'm@2', tokenizerId: 'tok', datasetId: 'd@2', manifestPath: '/d2/manifest.json' };

  it('is absent without a champion, and when the champion is the version itself', async () => {
    registry = await openRegistry('sqlite::memory:');
    expect(await championBaseline(registry, 'm', 'champion', challenger, undefined)).toBeUndefined();
    await registry.models.registerVersion(versionInput('m', 'r1'));
    await registry.models.setAlias('m', 'champion', 'm@1');
    expect(await championBaseline(registry, 'm', 'champion', { ...challenger, versionId: 'm@1' }, undefined)).toBeUndefined();
  });

  it('uses the stored report when both were trained on the same dataset', async () => {
    await seed('d@2');
    expect(await championBaseline(registry, 'm', 'champion', challenger, remeasure(measured(10)))).toEqual({
      versionId: 'm@1', metrics: { perplexity: 40, bitsPerByte: 2, 'x.bleu': 9 }, sameTokenizer: true,
    });
    expect(calls).toEqual([]);
  });

  it('re-measures perplexity and bits-per-byte on the challenger’s split when the datasets differ', async () => {
    await seed('d@1');
    const b = await championBaseline(registry, 'm', 'champion', challenger, remeasure(measured(12)));
    expect(calls).toEqual([['/models/m/1', '/d2/manifest.json']]);
    expect(b?.metrics).toEqual({ perplexity: 12, bitsPerByte: 1.5, 'x.bleu': 9 });
    expect(b?.note).toBe('champion m@1 (trained on d@1) re-measured on the held-out split of d@2');
  });

  it('falls back to the stored numbers, saying why, when re-measuring is impossible', async () => {
    await seed('d@1');
    const b = await championBaseline(registry, 'm', 'champion', challenger, remeasure({ skipped: 'model artifact directory /models/m/1 does not exist' }));
    expect(b?.metrics.perplexity).toBe(40);
    expect(b?.note).toMatch(/not re-measured on d@2 \(model artifact directory .* does not exist\): its stored d@1 numbers are used/);
  });

  it('does not re-measure across tokenizers (the shards are another vocabulary)', async () => {
    await seed('d@1', 'other-tok');
    const b = await championBaseline(registry, 'm', 'champion', challenger, remeasure(measured(12)));
    expect(calls).toEqual([]);
    expect(b).toMatchObject({ sameTokenizer: false, metrics: { perplexity: 40 } });
  });
});
