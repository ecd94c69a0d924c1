import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_FORMAT, MANIFEST_VERSION, packShard, writeShardFile } from '@crucible/shards';
import { afterAll, describe, expect, it } from 'vitest';
import { DataLoader, manifestSplits, validationBatches } from './data.loader';

const dir = mkdtempSync(join(tmpdir(), 'engine-loader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shard = (name: string, docs: number[][]): string => {
  const path = join(dir, name);
  writeShardFile(path, packShard(docs, 'uint16', 0));
  return path;
};
// Documents of lengths 11, 3 and 7 made of distinct tokens so windows can be told apart.
const a = shard('a.bin', [Array.from({ length: 11 }, (_, i) => 100 + i), [200, 201, 202], Array.from({ length: 7 }, (_, i) => 300 + i)]);
const b = shard('b.bin', [Array.from({ length: 20 }, (_, i) => 500 + i)]);

const firstTokens = (loader: DataLoader, n: number): number[] => Array.from({ length: n }, () => Number(loader.nextBatch(1).inputs[0]));

describe('DataLoader', () => {
  it('sequential windows are T+1 tokens at stride T with next-token targets, wrapping at the epoch', () => {
    const loader = new DataLoader([{ shards: [a] }], 4, 'sequential', 1);
    const { inputs, targets } = loader.nextBatch(2);
    expect(Array.from(inputs, Number)).toEqual([0, 100, 101, 102, 103, 104, 105, 106]);
    expect(Array.from(targets, Number)).toEqual([100, 101, 102, 103, 104, 105, 106, 107]);
    expect(loader.windowsPerEpoch).toBe(5); // 24 tokens (3 EOTs included) → floor(23 / 4)
    firstTokens(loader, 3);
    expect(loader.epochsDone).toBe(1);
    expect(Number(loader.nextBatch(1).inputs[0])).toBe(0);
  });

  it('shuffle is seeded and a restored state continues identically', () => {
    const l1 = new DataLoader([{ shards: [a] }, { shards: [b], weight: 3 }], 4, 'shuffle', 9);
    firstTokens(l1, 5);
    const state = JSON.parse(JSON.stringify(l1.state()));
    const next = firstTokens(l1, 12);
    const l2 = new DataLoader([{ shards: [a] }, { shards: [b], weight: 3 }], 4, 'shuffle', 9);
    l2.restore(state);
    expect(firstTokens(l2, 12)).toEqual(next);
  });

  it('mixture weights set how often each source is drawn', () => {
    const loader = new DataLoader([{ shards: [a], weight: 1 }, { shards: [b], weight: 3 }], 4, 'shuffle', 3);
    // Every window of b has its second token ≥ 500; no window of a does.
    const fromB = Array.from({ length: 400 }, () => Number(loader.nextBatch(1).inputs[1])).filter((t) => t >= 500).length;
    expect(fromB / 400).toBeGreaterThan(0.65);
    expect(fromB / 400).toBeLessThan(0.85);
  });

  it('curriculum puts windows of shorter documents first', () => {
    const loader = new DataLoader([{ shards: [a] }], 2, 'curriculum', 1);
    const firsts = firstTokens(loader, 11);
    expect(firsts.slice(0, 2)).toEqual([0, 201]); // the 3-token document's two windows
    expect(firsts.indexOf(305)).toBeLessThan(firsts.indexOf(101)); // 7-token document before the 11-token one
  });

  it('reads a dataset manifest and makes validation batches', () => {
    const manifest = {
      format: MANIFEST_FORMAT, formatVersion: MANIFEST_VERSION, dataset: 'd', datasetId: 'd1', createdAt: '2026-01-01T00:00:00Z',
      tokenizer: { id: 't', path: 't.json', vocabSize: 600, eotToken: 0 }, dtype: 'uint16',
      shards: [
        { split: 'train', path: 'a.bin', tokens: 24, documents: 3, sha256: 'x' },
        { split: 'validation', path: 'b.bin', tokens: 21, documents: 1, sha256: 'y' },
      ],
      totals: { documents: 4, tokens: { train: 24, validation: 21 } }, validationFraction: 0.25,
    };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const split = manifestSplits(join(dir, 'manifest.json'));
    expect(split).toEqual({ train: [a], validation: [b], vocabSize: 600 });
    const batches = validationBatches(split.validation, 4, 2, 10);
    expect(batches).toHaveLength(2); // 5 windows → 2 full batches of 2
    expect(Number(batches[1]!.targets[7])).toBe(515);
  });
});
