/**
 * Prompt tuning (Lester et al. 2021): n learned embeddings prepended to every sequence while
 * the model stays frozen. Initialised from the embeddings of sampled vocabulary tokens, which
 * the paper found better than random. At inference the prefix's keys/values are computed
 * once (prefixPast) and reused as the start of every row's KV cache.
 */
import { GraphBuilder } from '../ir/graph.builder';
import { compileToBytes } from '../ir/onnx.compiler';
import { createSession, type SessionOptions } from '../runtime/ort.session';
import type * as ortTypes from 'onnxruntime-node';
import { Rng } from '../train/rng';
import { type GptConfig, headDim } from './gpt.config';
import { gptForward } from './gpt.graph';
import { paramSpecs, type Weights } from './gpt.params';

export function initPrompt(c: GptConfig, base: Weights, tokens: number, seed: number): Float32Array {
  const rng = new Rng(seed ^ 0x5eed);
  const wte = base.get('transformer.wte.weight')!;
  const out = new Float32Array(tokens * c.nEmbd);
  for (let i = 0; i < tokens; i++) {
    const row = rng.int(c.vocabSize);
    out.set(wte.subarray(row * c.nEmbd, (row + 1) * c.nEmbd), i * c.nEmbd);
  }
  return out;
}

/** Per layer [key, value] (1, H, n, hd) of the prompt prefix at positions 0…n−1. */
export async function prefixPast(c: GptConfig, weights: Weights, prompt: Float32Array, options: SessionOptions = {}): Promise<ortTypes.Tensor[]> {
  const n = prompt.length / c.nEmbd;
  const g = new GraphBuilder('prompt_prefix');
  const params = new Map(paramSpecs(c).map((s) => [s.name, g.input(s.name, 'float32', s.shape)]));
  const embeds = g.constant(prompt, 'float32', [1, n, c.nEmbd]);
  const positions = g.constant(BigInt64Array.from({ length: n }, (_, i) => BigInt(i)), 'int64', [1, n]);
  const bias = g.constant(Float32Array.from({ length: n * n }, (_, i) => ((i % n) > Math.floor(i / n) ? -1e9 : 0)), 'float32', [1, 1, n, n]);
  const empty = g.constant(new Float32Array(0), 'float32', [1, c.nHead, 0, headDim(c)]);
  const past = Array.from({ length: c.nLayer }, () => ({ key: empty, value: empty }));
  const { present } = gptForward(g, c, params, undefined, { kind: 'infer', positions, newBias: bias, past, embeds });
  present.forEach((p, l) => {
    g.output(`present.${l}.key`, p.key);
    g.output(`present.${l}.value`, p.value);
  });
  const session = await createSession(compileToBytes(g, { initializers: weights }), options);
  const out = await session.run({});
  const result = present.flatMap((_, l) => [out[`present.${l}.key`]!, out[`present.${l}.value`]!]);
  await session.release();
  return result;
}
