/**
 * Exports the inference model: `model.onnx` (the KV-cache decoder of decoder.graph.ts with
 * weights baked in; FP16 stores weights as float16, halving the file, and casts them back to
 * float32 at load) plus the HF `config.json`. `fp16Perplexity` measures what FP16 costs.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileDecoder } from '../infer/decoder.graph';
import { float32ToHalf, halfToFloat32 } from '../ir/fp16';
import { GraphBuilder } from '../ir/graph.builder';
import { compileToBytes } from '../ir/onnx.compiler';
import type { GptConfig } from '../model/gpt.config';
import { crossEntropy, gptForward, lmHead } from '../model/gpt.graph';
import { paramSpecs, type Weights } from '../model/gpt.params';
import { createSession, ort } from '../runtime/ort.session';
import { toHfConfig } from './hf-gpt2';

export function exportOnnx(dir: string, config: GptConfig, weights: Weights, options: { fp16?: boolean } = {}): { path: string; bytes: number } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'model.onnx');
  writeFileSync(path, compileDecoder(config, weights, { fp16: options.fp16 ?? false }));
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify({ ...toHfConfig(config), crucible_onnx: { fp16_weights: options.fp16 ?? false, inputs: ['input_ids', 'position_ids', 'past_bias', 'new_bias', 'past.<l>.key', 'past.<l>.value'], outputs: ['logits', 'new.<l>.key', 'new.<l>.value'] } }, null, 2)}\n`);
  return { path, bytes: statSync(path).size };
}

/** Weights rounded through float16 (what an FP16 export computes with). */
export const roundToFp16 = (w: Weights): Weights => new Map([...w].map(([k, v]) => [k, halfToFloat32(float32ToHalf(v))]));

/** Mean next-token loss of `tokens` windows (B, T+1 each) under the weights. */
export async function meanLoss(config: GptConfig, weights: Weights, windows: readonly number[][]): Promise<number> {
  const B = windows.length;
  const T = windows[0]!.length - 1;
  const g = new GraphBuilder('loss');
  const specs = paramSpecs(config);
  const params = new Map(specs.map((s) => [s.name, g.input(s.name, 'float32', s.shape)]));
  const ids = g.input('ids', 'int64', [B, T]);
  const targets = g.input('targets', 'int64', [B * T]);
  const { hidden } = gptForward(g, config, params, ids, { kind: 'train', batch: B, seqLen: T });
  g.output('loss', crossEntropy(g, lmHead(g, params, hidden), targets));
  const session = await createSession(compileToBytes(g));
  const feeds: Record<string, ort.Tensor> = {
    ids: new ort.Tensor('int64', BigInt64Array.from(windows.flatMap((w) => w.slice(0, T).map(BigInt))), [B, T]),
    targets: new ort.Tensor('int64', BigInt64Array.from(windows.flatMap((w) => w.slice(1).map(BigInt))), [B * T]),
  };
  for (const s of specs) feeds[s.name] = new ort.Tensor('float32', weights.get(s.name)!, s.shape);
  const loss = Number((await session.run(feeds)).loss!.data[0]);
  await session.release();
  return loss;
}

/** Perplexity with float32 weights and with FP16-rounded weights on the same windows. */
export async function fp16Perplexity(config: GptConfig, weights: Weights, windows: readonly number[][]): Promise<{ fp32: number; fp16: number }> {
  return { fp32: Math.exp(await meanLoss(config, weights, windows)), fp16: Math.exp(await meanLoss(config, roundToFp16(weights), windows)) };
}
