import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { float32ToHalf, fromHalf, toHalf } from '../ir/fp16';
import { paramSpecs } from '../model/gpt.params';
import { presets } from '../model/gpt.config';
import { initWeights } from '../model/gpt.init';
import { Generator } from '../infer/generator';
import { createSession, ort } from '../runtime/ort.session';
import { exportHuggingFace, importHuggingFace, toHfConfig } from './hf-gpt2';
import { exportOnnx, fp16Perplexity } from './onnx-export';
import { decodeSafetensors, encodeSafetensors, type SafeTensor, writeSafetensors } from './safetensors';

const dir = mkdtempSync(join(tmpdir(), 'engine-interop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = presets.tiny;
const weights = initWeights(config, 11);

describe('interop', () => {
  it('safetensors round-trips and keeps data 8-byte aligned', () => {
    const t = new Map([['a', { dtype: 'F32' as const, shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) }], ['b', { dtype: 'I64' as const, shape: [1], data: BigInt64Array.of(-7n) }]]);
    const bytes = encodeSafetensors(t, { format: 'pt' });
    expect(Number(bytes.readBigUInt64LE(0)) % 8).toBe(0);
    const back = decodeSafetensors(bytes);
    expect(Array.from(back.tensors.get('a')!.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((back.tensors.get('b')!.data as BigInt64Array)[0]).toBe(-7n);
    expect(back.metadata.format).toBe('pt');
  });

  it('HF GPT-2 export/import round-trips weights and config', () => {
    exportHuggingFace(join(dir, 'hf'), config, weights);
    const cfg = JSON.parse(readFileSync(join(dir, 'hf', 'config.json'), 'utf8'));
    expect(cfg).toMatchObject({ model_type: 'gpt2', n_layer: 2, n_head: 2, n_embd: 32, n_positions: 64, activation_function: 'gelu_new' });
    const back = importHuggingFace(join(dir, 'hf'));
    expect(back.config).toEqual(config);
    for (const [k, v] of weights) expect(back.weights.get(k)).toEqual(v);
  });

  it('imports HF checkpoints that store keys without the transformer. prefix, in F16, with extra buffers', () => {
    const tensors = new Map<string, SafeTensor>();
    for (const [k, v] of weights) tensors.set(k.replace(/^transformer\./, ''), { dtype: 'F16', shape: paramSpecs(config).find((s) => s.name === k)!.shape, data: float32ToHalf(v) });
    tensors.set('h.0.attn.bias', { dtype: 'F32', shape: [1], data: Float32Array.of(1) }); // old checkpoints' causal-mask buffer
    mkdirSync(join(dir, 'hf16'), { recursive: true });
    writeSafetensors(join(dir, 'hf16', 'model.safetensors'), tensors);
    writeFileSync(join(dir, 'hf16', 'config.json'), JSON.stringify(toHfConfig(config)));
    const back = importHuggingFace(join(dir, 'hf16'));
    const wte = back.weights.get('transformer.wte.weight')!;
    weights.get('transformer.wte.weight')!.forEach((x, i) => expect(Math.abs(x - wte[i]!)).toBeLessThan(1e-3 * Math.max(1, Math.abs(x))));
  });

  it('FP16 conversion rounds to nearest and the FP16 ONNX export is about half the size with nearly equal logits', async () => {
    expect(fromHalf(toHalf(1))).toBe(1);
    expect(fromHalf(toHalf(65504))).toBe(65504);
    expect(Math.abs(fromHalf(toHalf(0.1)) - 0.1)).toBeLessThan(1e-4);
    const full = exportOnnx(join(dir, 'fp32'), config, weights);
    const half = exportOnnx(join(dir, 'fp16'), config, weights, { fp16: true });
    expect(half.bytes / full.bytes).toBeLessThan(0.56);
    const run = async (path: string): Promise<Float32Array> => {
      const s = await createSession(readFileSync(path), { threads: 1 });
      const feeds: Record<string, ort.Tensor> = {
        input_ids: new ort.Tensor('int64', BigInt64Array.of(3n, 4n, 5n), [1, 3]),
        position_ids: new ort.Tensor('int64', BigInt64Array.of(0n, 1n, 2n), [1, 3]),
        past_bias: new ort.Tensor('float32', new Float32Array(3).fill(-1e9), [1, 1, 3, 1]),
        new_bias: new ort.Tensor('float32', Float32Array.of(0, -1e9, -1e9, 0, 0, -1e9, 0, 0, 0), [1, 1, 3, 3]),
      };
      // One masked cache column: a fresh sequence's cache is empty.
      for (let l = 0; l < config.nLayer; l++) {
        for (const kv of ['key', 'value']) feeds[`past.${l}.${kv}`] = new ort.Tensor('float32', new Float32Array(32), [1, 2, 1, 16]);
      }
      return (await s.run(feeds)).logits!.data as Float32Array;
    };
    const [a, b] = [await run(full.path), await run(half.path)];
    a.forEach((x, i) => expect(Math.abs(x - b[i]!)).toBeLessThan(2e-3));
    const windows = [[1, 5, 9, 3, 7, 2, 8, 8, 1], [4, 4, 2, 9, 1, 0, 5, 6, 3]];
    const ppl = await fp16Perplexity(config, weights, windows);
    expect(Math.abs(ppl.fp16 - ppl.fp32) / ppl.fp32).toBeLessThan(1e-3);
  });

  it('Generator.load reads the HF layout and generates', async () => {
    const gen = await Generator.load(join(dir, 'hf'), { threads: 1 });
    const [out] = await gen.generate([[1, 2, 3]], { maxTokens: 5, temperature: 0 });
    expect(out).toHaveLength(5);
    await gen.close();
  });
});
