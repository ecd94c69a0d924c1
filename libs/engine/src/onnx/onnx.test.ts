import { describe, expect, it } from 'vitest';
import { createSession, ort } from '../runtime/ort.session';
import { makeGraph, makeModel, makeNode, makeTensor, makeValueInfo, OnnxBuildError } from './onnx.helper';
import { encodeModel } from './onnx.proto';
import { ProtoWriter } from './protobuf.writer';

describe('protobuf writer', () => {
  it('encodes varints, negative int64 and length-delimited fields as the spec says', () => {
    expect(Array.from(new ProtoWriter().varint(1, 150).finish())).toEqual([0x08, 0x96, 0x01]);
    expect(Array.from(new ProtoWriter().varint(2, -1).finish())).toEqual([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(Array.from(new ProtoWriter().string(2, 'testing').finish())).toEqual([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
    expect(Array.from(new ProtoWriter().packedVarints(4, [3, 270]).finish())).toEqual([0x22, 0x03, 0x03, 0x8e, 0x02]);
  });
});

describe('onnx helper builders', () => {
  it('reject tensors whose bytes disagree with their dims', () => {
    expect(() => makeTensor('t', 'float32', [2, 2], new Float32Array(3))).toThrow(OnnxBuildError);
    expect(makeTensor('t', 'int64', [2], new BigInt64Array(2)).rawData.byteLength).toBe(16);
  });

  it('reject graphs that read undefined names, define a name twice or never produce an output', () => {
    const x = makeValueInfo('x', 'float32', [2]);
    expect(() => makeGraph([makeNode('Relu', ['y'], ['z'])], 'g', [x], [])).toThrow(/reads y/);
    expect(() => makeGraph([makeNode('Relu', ['x'], ['x'])], 'g', [x], [])).toThrow(/defined twice/);
    expect(() => makeGraph([], 'g', [x], [makeValueInfo('z', 'float32', [2])])).toThrow(/never produced/);
  });

  it('a hand-built model loads and runs in ONNX Runtime', async () => {
    const graph = makeGraph(
      [makeNode('Add', ['x', 'bias'], ['y']), makeNode('Softmax', ['y'], ['z'], { axis: { type: 'int', value: -1 } })],
      'hand', [makeValueInfo('x', 'float32', ['n', 3])], [makeValueInfo('z', 'float32', ['n', 3])],
      [makeTensor('bias', 'float32', [3], Float32Array.of(0, 1, 2))],
    );
    const session = await createSession(encodeModel(makeModel(graph, { irVersion: 8, opsetVersion: 17 })), { threads: 1 });
    const z = (await session.run({ x: new ort.Tensor('float32', new Float32Array(6), [2, 3]) })).z!;
    expect(z.dims).toEqual([2, 3]);
    const e = [1, Math.E, Math.E ** 2];
    const sum = e.reduce((a, b) => a + b, 0);
    Array.from(z.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(e[i % 3]! / sum, 6));
  });
});
