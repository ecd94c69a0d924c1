import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../ir/graph.builder';
import { compileToBytes } from '../ir/onnx.compiler';
import { presets } from '../model/gpt.config';
import { gptForward, lmHead } from '../model/gpt.graph';
import { initWeights } from '../model/gpt.init';
import { paramSpecs } from '../model/gpt.params';
import { createSession, int64Tensor, ort } from '../runtime/ort.session';
import { Rng } from '../train/rng';
import { Generator } from './generator';
import { CHUNK } from './kv-cache';
import { argmax, sampleToken } from './sampler';

const config = presets.tiny;
const weights = initWeights(config, 3);

/** Full-sequence logits (B, T, V) from the training-mode forward graph: the no-cache reference. */
async function referenceLogits(tokens: number[]): Promise<Float32Array> {
  const g = new GraphBuilder('ref');
  const specs = paramSpecs(config);
  const params = new Map(specs.map((s) => [s.name, g.input(s.name, 'float32', s.shape)]));
  const ids = g.input('ids', 'int64', [1, tokens.length]);
  const { hidden } = gptForward(g, config, params, ids, { kind: 'train', batch: 1, seqLen: tokens.length });
  g.output('logits', lmHead(g, params, hidden));
  const s = await createSession(compileToBytes(g), { threads: 1 });
  const feeds: Record<string, ort.Tensor> = { ids: int64Tensor(tokens, [1, tokens.length]) };
  for (const p of specs) feeds[p.name] = new ort.Tensor('float32', weights.get(p.name)!, p.shape);
  return (await s.run(feeds)).logits!.data as Float32Array;
}

describe('Generator (KV cache)', () => {
  it('prefill + decode steps give the same logits as a full forward pass, with left padding in a batch', async () => {
    const gen = await Generator.fromWeights(config, weights, { threads: 1 });
    const seq = [5, 9, 2, 7, 7, 1, 30, 4];
    const V = config.vocabSize;
    const ref = await referenceLogits(seq);
    // Row 0 is the 3-token prompt, row 1 a 5-token prompt: row 0 is left-padded by 2.
    const state = await gen.prefill([seq.slice(0, 3), [11, 12, 13, 14, 15]]);
    const close = (a: Float32Array, b: Float32Array): void => a.forEach((x, i) => expect(Math.abs(x - b[i]!)).toBeLessThan(1e-4));
    close(state.logits.subarray(0, V), ref.subarray(2 * V, 3 * V));
    for (let t = 3; t < seq.length; t++) {
      const logits = await gen.decodeStep(state, [seq[t]!, 16]);
      close(logits.subarray(0, V), ref.subarray(t * V, (t + 1) * V));
    }
    await gen.close();
  });

  it('keeps matching the full forward pass as the cache grows past several capacity chunks', async () => {
    const gen = await Generator.fromWeights(config, weights, { threads: 1 });
    const seq = Array.from({ length: config.contextLength }, (_, i) => (i * 37 + 11) % config.vocabSize);
    const V = config.vocabSize;
    const ref = await referenceLogits(seq);
    const state = await gen.prefill([seq.slice(0, 5), seq.slice(0, 2)]);
    expect(state.cache.capacity).toBe(CHUNK);
    for (let t = 5; t < seq.length; t++) {
      const logits = await gen.decodeStep(state, [seq[t]!, 3]);
      logits.subarray(0, V).forEach((x, i) => expect(Math.abs(x - ref[t * V + i]!)).toBeLessThan(1e-4));
    }
    expect(state.length).toBe(config.contextLength);
    expect(state.cache.capacity).toBe(config.contextLength);
    await expect(gen.decodeStep(state, [1, 1])).rejects.toThrow(/exceeds the context/);
    await gen.close();
  });

  it('merged and row-selected states decode exactly like separate batches (continuous batching)', async () => {
    const gen = await Generator.fromWeights(config, weights, { threads: 1 });
    const V = config.vocabSize;
    const a = await gen.prefill([[4, 8, 15, 16, 23]]);
    await gen.decodeStep(a, [42]);
    const b = await gen.prefill([[1, 2]]);
    const refA = await gen.prefill([[4, 8, 15, 16, 23, 42]]);
    const refB = await gen.prefill([[1, 2]]);
    const merged = gen.mergeStates([a, b]);
    expect(merged.pad).toEqual([0, 4]);
    const logits = await gen.decodeStep(merged, [7, 9]);
    const ra = await gen.decodeStep(refA, [7]);
    const rb = await gen.decodeStep(refB, [9]);
    logits.subarray(0, V).forEach((x, i) => expect(Math.abs(x - ra[i]!)).toBeLessThan(1e-4));
    logits.subarray(V).forEach((x, i) => expect(Math.abs(x - rb[i]!)).toBeLessThan(1e-4));
    const onlyB = gen.selectRows(merged, [1]);
    const next = await gen.decodeStep(onlyB, [3]);
    const rb2 = await gen.decodeStep(refB, [3]);
    next.forEach((x, i) => expect(Math.abs(x - rb2[i]!)).toBeLessThan(1e-4));
    await gen.close();
  });

  it('dropping padding shared by every row keeps the logits (rows left a merged batch)', async () => {
    const gen = await Generator.fromWeights(config, weights, { threads: 1 });
    const long = await gen.prefill([[4, 8, 15, 16, 23, 42, 7]]);
    const short = await gen.prefill([[1, 2]]);
    const merged = gen.mergeStates([long, short]);
    const onlyShort = gen.selectRows(merged, [1]);
    expect(onlyShort.pad).toEqual([5]);
    const compact = gen.dropSharedPadding(onlyShort);
    expect(compact.pad).toEqual([0]);
    expect(compact.length).toBe(2);
    expect(gen.dropSharedPadding(compact)).toBe(compact);
    const got = await gen.decodeStep(compact, [3]);
    const ref = await gen.decodeStep(await gen.prefill([[1, 2]]), [3]);
    got.forEach((x, i) => expect(Math.abs(x - ref[i]!)).toBeLessThan(1e-4));
    await gen.close();
  });

  it('a vacated row takes a newcomer (fillRows) that decodes exactly as alone, and the other rows go on untouched', async () => {
    const gen = await Generator.fromWeights(config, weights, { threads: 1 });
    const V = config.vocabSize;
    const close = (a: Float32Array, b: Float32Array): void => a.forEach((x, i) => expect(Math.abs(x - b[i]!)).toBeLessThan(1e-4));
    const batch = await gen.prefill([[4, 8, 15, 16, 23, 42, 7], [1, 2, 3]]);
    const ref = await gen.prefill([[4, 8, 15, 16, 23, 42, 7]]);
    await gen.decodeStep(batch, [9, 5]);
    await gen.decodeStep(ref, [9]);
    gen.vacate(batch, 1);
    expect(gen.isVacant(batch, 1)).toBe(true);
    expect(gen.sharedPadding(batch)).toBe(0); // only the occupied row counts
    close((await gen.decodeStep(batch, [11, 0])).subarray(0, V), await gen.decodeStep(ref, [11]));

    const newcomer = await gen.prefill([[5, 6]]);
    const alone = await gen.prefill([[5, 6]]);
    expect(gen.fillRows(batch, newcomer, [0])).toBe(false); // not vacant
    expect(gen.fillRows(batch, await gen.prefill([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]]), [1])).toBe(false); // longer than the batch
    expect(gen.fillRows(batch, newcomer, [1])).toBe(true);
    expect(gen.isVacant(batch, 1)).toBe(false);
    expect(batch.pad).toEqual([0, batch.length - 2]);
    close(batch.logits.subarray(V), alone.logits);
    const both = await gen.decodeStep(batch, [13, 17]);
    close(both.subarray(0, V), await gen.decodeStep(ref, [13]));
    close(both.subarray(V), await gen.decodeStep(alone, [17]));
    await gen.close();
  });

  it('a released state\'s arrays serve the next batch of its shape, which decodes exactly as on fresh arrays', async () => {
    const gen = await Generator.fromWeights(config, weights, { threads: 1 });
    const first = await gen.prefill([[4, 8, 15, 16, 23]]);
    await gen.decodeStep(first, [42]);
    const arrays = [...first.cache.arrays];
    gen.release(first);
    gen.release(first); // twice: harmless
    await expect(gen.decodeStep(first, [1])).rejects.toThrow(/after Generator.release/);
    const reused = await gen.prefill([[1, 2, 3]]);
    expect(arrays.every((array) => reused.cache.arrays.includes(array))).toBe(true); // same shape: all recycled
    const fresh = await Generator.fromWeights(config, weights, { threads: 1 });
    const reference = await fresh.prefill([[1, 2, 3]]);
    expect(reused.logits).toEqual(reference.logits);
    expect(await gen.decodeStep(reused, [7])).toEqual(await fresh.decodeStep(reference, [7]));
    await gen.close();
    await fresh.close();
  });

  it('generate is seeded, honours stop tokens and maxTokens, and the stream matches', async () => {
    const gen = await Generator.fromWeights(config, weights, { threads: 1 });
    const opts = { maxTokens: 6, temperature: 1, topK: 20, topP: 0.9, seed: 5 };
    const a = await gen.generate([[1, 2], [3]], opts);
    const b = await gen.generate([[1, 2], [3]], opts);
    expect(a).toEqual(b);
    expect(a.every((r) => r.length === 6)).toBe(true);
    const greedy = await gen.generate([[1, 2]], { maxTokens: 4, temperature: 0 });
    const stopped = await gen.generate([[1, 2]], { maxTokens: 4, temperature: 0, stopTokens: [greedy[0]![0]!] });
    expect(stopped[0]).toEqual([]);
    const seqStop = await gen.generate([[1, 2]], { maxTokens: 4, temperature: 0, stop: [greedy[0]!.slice(0, 2)] });
    expect(seqStop[0]).toEqual([]);
    const steps: (number | null)[][] = [];
    for await (const step of gen.stream([[1, 2]], { maxTokens: 4, temperature: 0 })) steps.push(step);
    expect(steps.map((s) => s[0])).toEqual(greedy[0]);
    await gen.close();
  });

  it('sampler: greedy, top-k = 1 and top-p tiny all pick the argmax', () => {
    const row = Float32Array.of(0.1, 3, -1, 2.9);
    const rng = new Rng(1);
    expect(argmax(row)).toBe(1);
    expect(sampleToken(row, { temperature: 0 }, rng)).toBe(1);
    expect(sampleToken(row, { temperature: 1, topK: 1 }, rng)).toBe(1);
    expect(sampleToken(row, { temperature: 1, topP: 1e-6 }, rng)).toBe(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 2000; i++) counts[sampleToken(row, { temperature: 1, topK: 2 }, rng)]!++;
    expect(counts[0]! + counts[2]!).toBe(0);
    expect(Math.abs(counts[1]! / 2000 - 1 / (1 + Math.exp(-0.1)))).toBeLessThan(0.05);
  });
});
