import { initWeights, meanLoss, presets } from '@crucible/engine';
import { packShard, writeShardFile } from '@crucible/shards';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeldOutDataError, heldOutPerplexity, type TokenBytes } from './held-out';

const config = presets.tiny; // V = 256, contextLength 64
const EOT = 0;
/** Token id k decodes to k bytes mod 3 (0 for EOT): enough to check the byte count. */
const tokenizer: TokenBytes = { isSpecial: (id) => id === EOT, tokenBytes: (id) => new Uint8Array(id % 3) };

function shard(documents: number[][]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'held-out-')), 'validation-0.bin');
  writeShardFile(path, packShard(documents, 'uint16', EOT));
  return path;
}

const doc = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => 1 + ((i * 7 + seed * 13) % 255));

describe('held-out perplexity', () => {
  it('is exactly the vocabulary size under all-zero weights (uniform logits)', async () => {
    const zero = new Map([...initWeights(config, 1)].map(([k, v]) => [k, new Float32Array(v.length)]));
    const r = await heldOutPerplexity(config, zero, [shard([doc(100, 1), doc(60, 2)])], tokenizer, { seqLen: 16, batchSize: 3 });
    expect(r.perplexity).toBeCloseTo(256, 3);
    expect(r.totalNats / r.tokens).toBeCloseTo(Math.log(256), 6);
  });

  it('equals the engine loss over the same windows, with a remainder batch, and counts bytes of scored tokens', async () => {
    const weights = initWeights(config, 7);
    const tokens = [EOT, ...doc(50, 3), EOT, ...doc(40, 4)]; // 92 tokens → 5 windows of 16 (+1)
    const path = shard([doc(50, 3), doc(40, 4)]);
    const r = await heldOutPerplexity(config, weights, [path], tokenizer, { seqLen: 16, batchSize: 2 });
    expect(r.windows).toBe(5);
    expect(r.tokens).toBe(80);
    const windows = Array.from({ length: 5 }, (_, w) => tokens.slice(w * 16, w * 16 + 17));
    const expected = await meanLoss(config, weights, windows);
    expect(r.meanLoss).toBeCloseTo(expected, 5);
    const bytes = tokens.slice(1, 81).reduce((n, id) => n + (id === EOT ? 0 : id % 3), 0);
    expect(r.bytes).toBe(bytes);
    expect(r.bitsPerByte).toBeCloseTo(r.totalNats / (Math.LN2 * bytes), 12);
  });

  it('caps the scored tokens and reports progress per batch', async () => {
    const seen: number[] = [];
    const r = await heldOutPerplexity(config, initWeights(config, 2), [shard([doc(300, 5)])], tokenizer, {
      seqLen: 32,
      batchSize: 2,
      maxTokens: 100,
      onProgress: (p) => seen.push(p.windows),
    });
    expect(r.windows).toBe(3);
    expect(seen).toEqual([2, 3]);
  });

  it('refuses a dataset without held-out tokens', async () => {
    await expect(heldOutPerplexity(config, initWeights(config, 2), [], tokenizer)).rejects.toBeInstanceOf(HeldOutDataError);
  });
});
