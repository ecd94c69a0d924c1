/**
 * Measures this machine's float32 MatMul throughput through ORT (the denominator of MFU),
 * and the model FLOPs per token (PaLM appendix B / nanoGPT estimate_mfu: 6·N + 12·L·C·T).
 */
import { GraphBuilder } from '../ir/graph.builder';
import { compileToBytes } from '../ir/onnx.compiler';
import type { GptConfig } from '../model/gpt.config';
import { countParams } from '../model/gpt.params';
import { createSession, ort } from './ort.session';

let cached: Map<number, number> | undefined;

/** FLOP/s of an n×n×n MatMul with `threads` intra-op threads (best of a few runs). */
export async function measureMatmulPeak(threads: number, n = 512): Promise<number> {
  cached ??= new Map();
  const hit = cached.get(threads);
  if (hit) return hit;
  const g = new GraphBuilder('peak');
  const a = g.input('a', 'float32', [n, n]);
  const b = g.input('b', 'float32', [n, n]);
  g.output('c', g.matmul(a, b));
  const session = await createSession(compileToBytes(g), { threads });
  const data = new Float32Array(n * n).fill(0.5);
  const feeds = { a: new ort.Tensor('float32', data, [n, n]), b: new ort.Tensor('float32', data, [n, n]) };
  await session.run(feeds);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    best = Math.min(best, performance.now() - t0);
  }
  await session.release();
  const flops = (2 * n ** 3) / (best / 1000);
  cached.set(threads, flops);
  return flops;
}

/** Training FLOPs per token (forward + backward) for sequence length T. */
export function trainFlopsPerToken(c: GptConfig, seqLen: number): number {
  const n = countParams(c) - c.contextLength * c.nEmbd; // position table does no matmul work
  return 6 * n + 12 * c.nLayer * c.nEmbd * seqLen;
}
