/**
 * Pure builders in the style of onnx/helper.py — makeTensor, makeNode, makeValueInfo,
 * makeGraph, makeModel — that fail loudly (OnnxBuildError) on inconsistent inputs: a
 * tensor whose bytes disagree with its dims, a node reading a name nothing defines, a name
 * defined twice, a graph output nobody produces.
 */
import { EngineError } from '../engine.errors';
import type { AttributeValue, GraphProto, ModelProto, NodeProto, OnnxElemType, TensorProto, ValueInfoProto } from './onnx.proto';

export class OnnxBuildError extends EngineError<'ONNX_BUILD_INVALID'> {
  constructor(message: string) {
    super('ONNX_BUILD_INVALID', message);
  }
}

const ELEMENT_BYTES: Record<OnnxElemType, number> = { float32: 4, uint8: 1, int8: 1, int32: 4, int64: 8, bool: 1, float16: 2, float64: 8 };

export function makeTensor(name: string, dataType: OnnxElemType, dims: readonly number[], data: ArrayBufferView): TensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw new OnnxBuildError(`tensor ${name}: bad dims [${dims.join(', ')}]`);
  if (data.byteLength !== count * ELEMENT_BYTES[dataType]) {
    throw new OnnxBuildError(`tensor ${name}: ${data.byteLength} bytes for ${count} ${dataType} elements`);
  }
  return Object.freeze({ name, dataType, dims: Object.freeze([...dims]), rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
}

export function makeNode(opType: string, inputs: readonly string[], outputs: readonly string[], attributes?: Readonly<Record<string, AttributeValue>>, name?: string): NodeProto {
  if (outputs.length === 0) throw new OnnxBuildError(`${opType} node without outputs`);
  return Object.freeze({ opType, inputs: Object.freeze([...inputs]), outputs: Object.freeze([...outputs]), ...(attributes ? { attributes } : {}), ...(name ? { name } : {}) });
}

export const makeValueInfo = (name: string, elemType: OnnxElemType, shape: readonly (number | string)[]): ValueInfoProto =>
  Object.freeze({ name, elemType, shape: Object.freeze([...shape]) });

/** Checks SSA form and topological order: every input defined before use, every name defined once. */
export function makeGraph(nodes: readonly NodeProto[], name: string, inputs: readonly ValueInfoProto[], outputs: readonly ValueInfoProto[], initializers: readonly TensorProto[] = []): GraphProto {
  const defined = new Set<string>(['']); // '' = an omitted optional input
  const define = (n: string, what: string): void => {
    if (defined.has(n)) throw new OnnxBuildError(`graph ${name}: ${what} ${n} is defined twice`);
    defined.add(n);
  };
  for (const i of inputs) define(i.name, 'input');
  for (const t of initializers) define(t.name, 'initializer');
  for (const n of nodes) {
    for (const i of n.inputs) if (!defined.has(i)) throw new OnnxBuildError(`graph ${name}: ${n.opType} reads ${i}, which nothing defines before it`);
    for (const o of n.outputs) define(o, `${n.opType} output`);
  }
  for (const o of outputs) if (!defined.has(o.name)) throw new OnnxBuildError(`graph ${name}: output ${o.name} is never produced`);
  return Object.freeze({ name, nodes, initializers, inputs, outputs });
}

export function makeModel(graph: GraphProto, options: { irVersion: number; opsetVersion: number; producerName?: string; producerVersion?: string }): ModelProto {
  return Object.freeze({
    irVersion: options.irVersion,
    opsetVersion: options.opsetVersion,
    producerName: options.producerName ?? 'crucible-engine',
    producerVersion: options.producerVersion ?? '0.1.0',
    graph,
  });
}
