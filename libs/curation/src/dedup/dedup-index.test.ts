import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DedupIndexError } from '../errors';
import { dedupEntry } from './dedup-entry';
import type { DedupIndex } from './dedup-index';
import { MemoryDedupIndex } from './memory-dedup-index';
import { MINHASH_DEFAULTS } from './minhash';
import { SqliteDedupIndex } from './sqlite-dedup-index';

const TEXT =
  'The harbour was quiet in the early morning and the fishing boats had not yet returned from the sea. ' +
  'Along the quay a few merchants were opening their stalls and arranging baskets of bread and fruit. ' +
  'By noon the square would be crowded with sailors, travellers and children running between the carts.';
const NEAR = TEXT.replace('early morning', 'early, early morning');
const OTHER = 'Congress passed the tariff bill after a long debate about the national debt and the price of imported iron and wool.';
const opts = { exact: true, near: true, minhash: MINHASH_DEFAULTS };
const check = { near: true, minSimilarity: 0.7 };
const entry = (id: string, text: string) => dedupEntry(id, text, opts);

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'curation-dedup-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const implementations: [string, () => DedupIndex][] = [
  ['memory', () => new MemoryDedupIndex()],
  ['sqlite', () => new SqliteDedupIndex({ path: join(tmp(), 'i.sqlite'), minhash: MINHASH_DEFAULTS })],
];

describe.each(implementations)('%s DedupIndex', (_, make) => {
  it('finds exact and near duplicates of kept documents', async () => {
    const index = make();
    expect(await index.checkAndAdd(entry('a', TEXT), check)).toBeNull();
    expect(await index.checkAndAdd(entry('b', TEXT), check)).toEqual({ kind: 'exact', duplicateOf: 'a' });
    const near = await index.checkAndAdd(entry('c', NEAR), check);
    expect(near).toMatchObject({ kind: 'near', duplicateOf: 'a' });
    expect(near?.kind === 'near' && near.similarity).toBeGreaterThan(0.7);
    expect(await index.checkAndAdd(entry('d', OTHER), check)).toBeNull();
    expect(await index.size()).toBe(2);
    await index.close();
  });

  it('is idempotent: a redelivered document is not a duplicate of itself', async () => {
    const index = make();
    expect(await index.checkAndAdd(entry('a', TEXT), check)).toBeNull();
    expect(await index.checkAndAdd(entry('a', TEXT), check)).toBeNull();
    expect(await index.checkAndAdd(entry('a', TEXT), check)).toBeNull();
    expect(await index.size()).toBe(1);
    expect(await index.has('a')).toBe(true);
    await index.close();
  });

  it('only checks exact duplicates when near is off, and confirms band hits by similarity', async () => {
    const index = make();
    await index.checkAndAdd(entry('a', TEXT), check);
    expect(await index.find(entry('c', NEAR), { near: false, minSimilarity: 0.7 })).toBeNull();
    expect(await index.find(entry('c', NEAR), { near: true, minSimilarity: 1 })).toBeNull();
    expect(await index.has('c')).toBe(false);
    await index.close();
  });
});

describe('SqliteDedupIndex persistence', () => {
  it('keeps the index across a restart', async () => {
    const path = join(tmp(), 'persist.sqlite');
    const first = new SqliteDedupIndex({ path, minhash: MINHASH_DEFAULTS });
    await first.checkAndAdd(entry('a', TEXT), check);
    await first.close();
    const second = new SqliteDedupIndex({ path, minhash: MINHASH_DEFAULTS });
    expect(await second.size()).toBe(1);
    expect(await second.checkAndAdd(entry('a', TEXT), check)).toBeNull();
    expect(await second.checkAndAdd(entry('c', NEAR), check)).toMatchObject({ kind: 'near', duplicateOf: 'a' });
    await second.close();
  });

  it('refuses an index built with other MinHash parameters', async () => {
    const path = join(tmp(), 'params.sqlite');
    await new SqliteDedupIndex({ path, minhash: MINHASH_DEFAULTS }).close();
    expect(() => new SqliteDedupIndex({ path, minhash: { ...MINHASH_DEFAULTS, bands: 20 } })).toThrow(DedupIndexError);
  });
});
