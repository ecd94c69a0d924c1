import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_FORMAT, MANIFEST_VERSION, packShard, writeShardFile } from '@crucible/shards';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineConfigError } from '../engine.errors';
import { presets } from '../model/gpt.config';
import { Rng } from './rng';
import { Trainer } from './trainer';

const dir = mkdtempSync(join(tmpdir(), 'engine-trainer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Documents from a tiny "grammar": learnable structure, so the loss must fall. */
function makeShard(name: string, docs: number, seed: number): string {
  const rng = new Rng(seed);
  const documents = Array.from({ length: docs }, () => {
    const start = rng.int(20);
    const len = 20 + rng.int(60);
    return Array.from({ length: len }, (_, i) => 1 + ((start + i * 3) % 40));
  });
  const path = join(dir, name);
  writeShardFile(path, packShard(documents, 'uint16', 0));
  return path;
}

const train = makeShard('train-00000.bin', 200, 1);
const validation = makeShard('validation-00000.bin', 20, 2);
const config = { ...presets.tiny, vocabSize: 48 };
const hyper = { batchSize: 4, seqLen: 32, maxSteps: 12, decaySteps: 12, lr: 3e-3, warmupSteps: 2, seed: 7, threads: 1, evalEvery: 12, evalBatches: 2 };

describe('Trainer', () => {
  it('is deterministic, learns, and resumes a checkpoint into the exact same loss sequence', async () => {
    const a = new Trainer({ config, shards: [train], validationShards: [validation], hyper, log: false });
    const ra = await a.run();
    expect(ra.losses).toHaveLength(12);
    expect(ra.losses[11]!).toBeLessThan(ra.losses[0]! - 0.5);
    expect(ra.valLoss).toBeLessThan(Math.log(48));

    const progress: number[] = [];
    const ck = join(dir, 'ck');
    const b = new Trainer({ config, shards: [train], validationShards: [validation], hyper: { ...hyper, maxSteps: 6 }, checkpointDir: ck, log: false, onProgress: (p) => progress.push(p.mfu) });
    const rb = await b.run();
    expect(rb.losses).toEqual(ra.losses.slice(0, 6)); // same seed ⇒ identical losses
    expect(progress.every((m) => m > 0 && m < 1)).toBe(true);

    const c = new Trainer({ config, shards: [train], validationShards: [validation], hyper, log: false });
    const rc = await c.resume(ck);
    expect(rc.losses).toEqual(ra.losses); // bit-exact continuation
    await Promise.all([a.close(), b.close(), c.close()]);
  }, 60_000);

  it('gradient accumulation of 2 micro-batches of 2 matches one batch of 4 on the first step', async () => {
    const one = new Trainer({ config, shards: [train], hyper: { ...hyper, order: 'sequential', maxSteps: 2 }, log: false });
    const two = new Trainer({ config, shards: [train], hyper: { ...hyper, order: 'sequential', maxSteps: 2, batchSize: 2, gradAccumSteps: 2 }, log: false });
    const [r1, r2] = [await one.run(), await two.run()];
    expect(Math.abs(r1.losses[0]! - r2.losses[0]!)).toBeLessThan(1e-5);
    expect(Math.abs(r1.losses[1]! - r2.losses[1]!)).toBeLessThan(1e-4);
    await Promise.all([one.close(), two.close()]);
  }, 60_000);
});

describe('Trainer with dropout', () => {
  it('is still deterministic, and dropout changes the losses', async () => {
    const h = { ...hyper, maxSteps: 3 };
    const run = async (dropout: number): Promise<number[]> => {
      const t = new Trainer({ config: { ...config, dropout }, shards: [train], hyper: h, log: false });
      const r = await t.run();
      await t.close();
      return [...r.losses];
    };
    const [a, b, none] = [await run(0.2), await run(0.2), await run(0)];
    expect(a).toEqual(b);
    expect(a[0]).not.toEqual(none[0]);
  }, 60_000);
});

describe('Trainer epochs', () => {
  it('stops after the requested number of passes over the windows', async () => {
    const small = makeShard('epoch.bin', 6, 4); // a few hundred tokens → a handful of windows
    const t = new Trainer({ config, shards: [small], hyper: { ...hyper, maxSteps: 1000, epochs: 2, order: 'sequential' }, log: false });
    const r = await t.run();
    expect(t.windowsPerEpoch).toBeGreaterThan(hyper.batchSize);
    expect(r.step).toBe(Math.ceil((2 * t.windowsPerEpoch) / hyper.batchSize));
    await t.close();
  }, 60_000);
});

describe('Trainer with a dataset manifest', () => {
  const manifest = (vocabSize: number): string => {
    const path = join(dir, `manifest-${vocabSize}.json`);
    writeFileSync(path, JSON.stringify({
      format: MANIFEST_FORMAT, formatVersion: MANIFEST_VERSION, dataset: 'toy', datasetId: 'toy-1', createdAt: '2026-01-01T00:00:00Z',
      tokenizer: { id: 'toy', path: 'tokenizer.json', vocabSize, eotToken: 0 }, dtype: 'uint16',
      shards: [
        { split: 'train', path: 'train-00000.bin', tokens: 1, documents: 1, sha256: '-' },
        { split: 'validation', path: 'validation-00000.bin', tokens: 1, documents: 1, sha256: '-' },
      ],
      totals: { documents: 2, tokens: { train: 1, validation: 1 } }, validationFraction: 0.1,
    }));
    return path;
  };

  it('trains from the manifest train split and evaluates on its validation split', async () => {
    const t = new Trainer({ config, manifestPath: manifest(41), hyper: { ...hyper, maxSteps: 2 }, log: false });
    const r = await t.run();
    expect(r.losses).toHaveLength(2);
    expect(await t.evaluate()).toBeGreaterThan(0);
    await t.close();
  }, 60_000);

  it('rejects a dataset whose vocabulary is larger than the model', () => {
    expect(() => new Trainer({ config, manifestPath: manifest(1000), hyper, log: false })).toThrow(EngineConfigError);
  });
});
