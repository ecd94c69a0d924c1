import { describe, expect, it } from 'vitest';
import { createSession, ort } from '../runtime/ort.session';
import { fromHalf, toHalf } from './fp16';
import { GraphBuilder, broadcastShapes } from './graph.builder';
import { ShapeError } from './ir.types';
import { compileToBytes } from './onnx.compiler';

describe('GraphBuilder shape inference', () => {
  it('fails loudly on inconsistent shapes', () => {
    const g = new GraphBuilder('bad');
    const a = g.input('a', 'float32', [2, 3]);
    expect(() => g.matmul(a, g.input('b', 'float32', [4, 5]))).toThrow(ShapeError);
    expect(() => g.addv(a, g.input('c', 'float32', [4]))).toThrow(ShapeError);
    expect(() => g.reshape(a, [4, 2])).toThrow(ShapeError);
    expect(() => g.transpose(a, [0, 0])).toThrow(ShapeError);
    expect(() => g.slice(a, 1, 2, 5)).toThrow(ShapeError);
    expect(() => g.addv(a, g.input('i', 'int64', [2, 3]))).toThrow(ShapeError);
    expect(() => g.input('a', 'float32', [1])).toThrow(/duplicate/);
    expect(Object.isFrozen(g.nodes[0])).toBe(true);
  });

  it('broadcasts numpy-style, symbolic dims included', () => {
    expect(broadcastShapes([2, 1, 4], [3, 1])).toEqual([2, 3, 4]);
    expect(broadcastShapes(['B', 1, 'T'], [1, 5, 1])).toEqual(['B', 5, 'T']);
  });

  it('inferred shapes agree with what ONNX Runtime produces', async () => {
    const g = new GraphBuilder('shapes');
    const x = g.input('x', 'float32', ['B', 4, 6]);
    const w = g.input('w', 'float32', [6, 8]);
    const y = g.matmul(x, w); // (B, 4, 8)
    const outs = {
      heads: g.transpose(g.reshape(y, [0, 0, 2, 4]), [0, 2, 1, 3]), // (B, 2, 4, 4)
      summed: g.reduce('ReduceSum', y, [1], false), // (B, 8)
      sliced: g.slice(y, 2, 2, 5), // (B, 4, 3)
      joined: g.concat([y, y], 1), // (B, 8, 8)
      last: g.gather(y, g.constant(BigInt64Array.of(-1n), 'int64', []), 1), // (B, 8)
      padded: g.pad(g.reshape(y, [0, 32]), 1, 1, 2), // (B, 35)
    };
    for (const [name, v] of Object.entries(outs)) g.output(name, v);
    const session = await createSession(compileToBytes(g), { threads: 1 });
    const out = await session.run({ x: new ort.Tensor('float32', new Float32Array(3 * 24), [3, 4, 6]), w: new ort.Tensor('float32', new Float32Array(48), [6, 8]) });
    for (const [name, v] of Object.entries(outs)) {
      expect(out[name]!.dims).toEqual(v.shape.map((d) => (d === 'B' ? 3 : d)));
    }
  });

  it('fp16 conversion handles subnormals, overflow and rounding', () => {
    expect(toHalf(2 ** -24)).toBe(1);
    expect(toHalf(1e6)).toBe(0x7c00);
    expect(fromHalf(toHalf(-2.5))).toBe(-2.5);
    expect(fromHalf(toHalf(1 + 2 ** -11))).toBe(1); // ties to even
  });
});
