import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../ir/graph.builder';
import { compileToBytes } from '../ir/onnx.compiler';
import type { Value } from '../ir/ir.types';
import { createSession, ort } from '../runtime/ort.session';
import { gradients } from './autodiff';

/** Deterministic pseudo-random doubles in [-1, 1). */
function rand(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

interface Arg { name: string; shape: number[]; data?: Float64Array; positive?: boolean }

/**
 * Checks d(sum(f(args) * R))/d(args) from autodiff against central finite differences,
 * all in float64 through ONNX Runtime.
 */
async function checkGradient(args: Arg[], f: (g: GraphBuilder, xs: Value[]) => Value, extra?: (g: GraphBuilder) => void): Promise<void> {
  const g = new GraphBuilder('check');
  const xs = args.map((a) => g.input(a.name, 'float64', a.shape));
  extra?.(g);
  const y = f(g, xs);
  const r = g.constant(rand(y.shape.reduce<number>((n, d) => n * (d as number), 1), 99), 'float64', y.shape);
  const loss = g.reduce('ReduceSum', g.mul(y, r), [...y.shape.keys()], false);
  g.output('loss', loss);
  const grads = gradients(g, loss, xs);
  grads.forEach((gr, i) => g.output(`grad_${i}`, gr));
  const session = await createSession(compileToBytes(g), { threads: 1 });
  const values = args.map((a, i) => {
    const base = a.data ?? rand(a.shape.reduce((n, d) => n * d, 1), 7 + i);
    return a.positive ? base.map((v) => Math.abs(v) + 0.5) : base;
  });
  const feeds = (vals: Float64Array[]): Record<string, ort.Tensor> =>
    Object.fromEntries(args.map((a, i) => [a.name, new ort.Tensor('float64', vals[i]!, a.shape)]));
  const out = await session.run(feeds(values));
  const h = 1e-6;
  for (let i = 0; i < args.length; i++) {
    const analytic = out[`grad_${i}`]!.data as Float64Array;
    for (let j = 0; j < values[i]!.length; j++) {
      const plus = values.map((v) => v.slice());
      const minus = values.map((v) => v.slice());
      plus[i]![j]! += h;
      minus[i]![j]! -= h;
      const lp = Number((await session.run(feeds(plus))).loss!.data[0]);
      const lm = Number((await session.run(feeds(minus))).loss!.data[0]);
      const numeric = (lp - lm) / (2 * h);
      expect(Math.abs(analytic[j]! - numeric)).toBeLessThan(1e-5 * Math.max(1, Math.abs(numeric)));
    }
  }
}

describe('autodiff gradients match finite differences (float64)', () => {
  it('MatMul, 2-D and batched', async () => {
    await checkGradient([{ name: 'a', shape: [3, 4] }, { name: 'b', shape: [4, 2] }], (g, [a, b]) => g.matmul(a!, b!));
    await checkGradient([{ name: 'a', shape: [2, 3, 4] }, { name: 'b', shape: [2, 4, 2] }], (g, [a, b]) => g.matmul(a!, b!));
    await checkGradient([{ name: 'a', shape: [2, 3, 4] }, { name: 'b', shape: [4, 2] }], (g, [a, b]) => g.matmul(a!, b!));
  });
  it('broadcast Add, Sub, Mul, Div', async () => {
    await checkGradient([{ name: 'a', shape: [2, 3] }, { name: 'b', shape: [3] }], (g, [a, b]) => g.addv(a!, b!));
    await checkGradient([{ name: 'a', shape: [2, 1] }, { name: 'b', shape: [2, 3] }], (g, [a, b]) => g.sub(a!, b!));
    await checkGradient([{ name: 'a', shape: [2, 3] }, { name: 'b', shape: [1, 3] }], (g, [a, b]) => g.mul(a!, b!));
    await checkGradient([{ name: 'a', shape: [2, 3] }, { name: 'b', shape: [2, 3], positive: true }], (g, [a, b]) => g.div(a!, b!));
  });
  it('unary Tanh, Exp, Log, Sqrt, Reciprocal, Neg and Pow by a constant', async () => {
    for (const op of ['Tanh', 'Exp', 'Neg'] as const) {
      await checkGradient([{ name: 'x', shape: [5] }], (g, [x]) => g.unary(op, x!));
    }
    for (const op of ['Log', 'Sqrt', 'Reciprocal'] as const) {
      await checkGradient([{ name: 'x', shape: [5], positive: true }], (g, [x]) => g.unary(op, x!));
    }
    await checkGradient([{ name: 'x', shape: [5], positive: true }], (g, [x]) => g.binary('Pow', x!, g.scalar(3, 'float64')));
  });
  it('ReduceSum and ReduceMean with and without keepdims', async () => {
    await checkGradient([{ name: 'x', shape: [2, 3, 4] }], (g, [x]) => g.reduce('ReduceSum', x!, [1], false));
    await checkGradient([{ name: 'x', shape: [2, 3, 4] }], (g, [x]) => g.reduce('ReduceMean', x!, [0, 2], true));
  });
  it('Reshape, Transpose, Slice, Pad, Concat, Expand', async () => {
    await checkGradient([{ name: 'x', shape: [2, 6] }], (g, [x]) => g.reshape(x!, [3, -1]));
    await checkGradient([{ name: 'x', shape: [2, 3, 4] }], (g, [x]) => g.transpose(x!, [2, 0, 1]));
    await checkGradient([{ name: 'x', shape: [2, 6] }], (g, [x]) => g.slice(x!, 1, 2, 5));
    await checkGradient([{ name: 'x', shape: [2, 3] }], (g, [x]) => g.pad(x!, 0, 1, 2));
    await checkGradient([{ name: 'a', shape: [2, 3] }, { name: 'b', shape: [2, 2] }], (g, [a, b]) => g.concat([a!, b!], 1));
    await checkGradient([{ name: 'x', shape: [1, 3] }], (g, [x]) => g.expand(x!, [4, 3]));
  });
  it('Softmax and LogSoftmax over the last axis', async () => {
    await checkGradient([{ name: 'x', shape: [3, 5] }], (g, [x]) => g.softmax(x!));
    await checkGradient([{ name: 'x', shape: [3, 5] }], (g, [x]) => g.softmax(x!, true));
  });
  it('Gather rows (embedding) and Where (causal mask)', async () => {
    await checkGradient([{ name: 'table', shape: [5, 3] }], (g, [t]) => {
      const idx = g.constant(BigInt64Array.of(1n, 4n, 1n, 0n), 'int64', [2, 2]);
      return g.gather(t!, idx);
    });
    await checkGradient([{ name: 'a', shape: [3, 3] }], (g, [a]) => {
      const cond = g.constant(Uint8Array.of(1, 0, 0, 1, 1, 0, 1, 1, 1), 'bool', [3, 3]);
      return g.where(cond, a!, g.scalar(-1e4, 'float64'));
    });
  });
  it('LayerNormalization (x, scale, bias)', async () => {
    await checkGradient(
      [{ name: 'x', shape: [3, 4] }, { name: 's', shape: [4] }, { name: 'b', shape: [4] }],
      (g, [x, s, b]) => g.layerNorm(x!, s!, b!),
    );
  });
  it('fused GELU (tanh approximation) matches the formula and its gradient', async () => {
    await checkGradient([{ name: 'x', shape: [7], data: Float64Array.of(-3, -1, -0.2, 0, 0.3, 1.1, 2.5) }], (g, [x]) => g.gelu(x!));
    const g = new GraphBuilder('gelu');
    const x = g.input('x', 'float64', [3]);
    g.output('y', g.gelu(x));
    const xs = [-1.5, 0.25, 2];
    const y = (await (await createSession(compileToBytes(g), { threads: 1 })).run({ x: new ort.Tensor('float64', Float64Array.from(xs), [3]) })).y!.data as Float64Array;
    xs.forEach((v, i) => expect(y[i]!).toBeCloseTo(0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))), 12));
  });
  it('fused cross-entropy (LogSoftmax + GatherElements, gradient softmax − onehot)', async () => {
    await checkGradient([{ name: 'logits', shape: [4, 6] }], (g, [logits]) => {
      const targets = g.constant(BigInt64Array.of(0n, 5n, 2n, 2n), 'int64', [4]);
      return g.mul(g.crossEntropy(logits!, targets), g.scalar(1.7, 'float64'));
    });
  });
  it('a composition: softmax(x @ w) cross-entropy with one-hot targets', async () => {
    await checkGradient([{ name: 'x', shape: [4, 3] }, { name: 'w', shape: [3, 5] }], (g, [x, w]) => {
      const targets = g.constant(BigInt64Array.of(0n, 4n, 2n, 2n), 'int64', [4]);
      const logp = g.softmax(g.matmul(x!, w!), true);
      return g.reduce('ReduceSum', g.mul(logp, g.oneHot(targets, 5, 'float64')), [1], false);
    });
  });
});
