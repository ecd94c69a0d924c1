/**
 * Compiles an IR graph to an ONNX ModelProto (opset 17, IR version 8 — both inside what
 * onnxruntime 1.30 loads). Only nodes reachable from the outputs are emitted. Inputs may be
 * baked in as initializers (inference models), optionally stored as FP16 and cast back.
 */
import { makeGraph, makeModel, makeNode, makeTensor } from '../onnx/onnx.helper';
import { encodeModel, type ModelProto, type NodeProto, type OnnxElemType, type TensorProto, type ValueInfoProto } from '../onnx/onnx.proto';
import { float32ToHalf } from './fp16';
import type { GraphBuilder } from './graph.builder';
import { type Node, type TensorData, type Value, nodeInputs, ShapeError } from './ir.types';

export const OPSET_VERSION = 17;
export const IR_VERSION = 8;

export interface CompileOptions {
  /** Inputs to bake in as initializers (by input name). */
  readonly initializers?: ReadonlyMap<string, TensorData>;
  /** Store baked float32 initializers as float16 and Cast them to float32 at load. */
  readonly fp16Initializers?: boolean;
}

const int64s = (xs: readonly number[]): BigInt64Array => BigInt64Array.from(xs.map((x) => BigInt(x)));
const tensor = (name: string, dataType: OnnxElemType, dims: readonly number[], data: TensorData): TensorProto => makeTensor(name, dataType, dims, data);

/** Nodes reachable from the given values, in original (topological) order. */
export function reachable(nodes: readonly Node[], roots: readonly Value[]): Node[] {
  const byId = new Map(nodes.map((n) => [n.out.id, n]));
  const live = new Set<number>();
  const stack = roots.map((r) => r.id);
  while (stack.length) {
    const id = stack.pop()!;
    if (live.has(id)) continue;
    live.add(id);
    const n = byId.get(id);
    if (n) for (const i of nodeInputs(n)) stack.push(i.id);
  }
  return nodes.filter((n) => live.has(n.out.id));
}

export function compileGraph(g: GraphBuilder, options: CompileOptions = {}): ModelProto {
  const names = new Map<number, string>();
  const nameOf = (v: Value): string => names.get(v.id) ?? `v${v.id}`;
  const onnxNodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  const inputs: ValueInfoProto[] = [];
  let k = 0;
  const constInt64 = (xs: readonly number[], scalar = false): string => {
    const name = `k${k++}`;
    initializers.push(tensor(name, 'int64', scalar ? [] : [xs.length], int64s(xs)));
    return name;
  };
  const emit = (opType: string, ins: string[], out: string, attributes?: NodeProto['attributes']): void => {
    onnxNodes.push(makeNode(opType, ins, [out], attributes));
  };

  for (const n of g.nodes) if (n.kind === 'input') names.set(n.out.id, n.name);
  // A computed value that is a graph output takes the output's name directly: no Identity copy.
  const kindOf = new Map(g.nodes.map((n) => [n.out.id, n.kind]));
  const direct = new Set<string>();
  for (const o of g.outputs) {
    const kind = kindOf.get(o.value.id);
    if (kind !== 'input' && kind !== 'constant' && !names.has(o.value.id)) {
      names.set(o.value.id, o.name);
      direct.add(o.name);
    }
  }
  const live = reachable(g.nodes, g.outputs.map((o) => o.value));
  const liveIds = new Set(live.map((n) => n.out.id));

  for (const n of g.nodes) {
    if (n.kind !== 'input') continue;
    const baked = options.initializers?.get(n.name);
    if (baked) {
      if (!liveIds.has(n.out.id)) continue;
      const dims = n.out.shape.map((d) => {
        if (typeof d !== 'number') throw new ShapeError(`initializer ${n.name} has a symbolic dim`);
        return d;
      });
      if (options.fp16Initializers && n.out.dtype === 'float32' && baked instanceof Float32Array) {
        initializers.push(tensor(`${n.name}__fp16`, 'float16', dims, float32ToHalf(baked)));
        emit('Cast', [`${n.name}__fp16`], n.name, { to: { type: 'int', value: 1 } });
      } else initializers.push(tensor(n.name, n.out.dtype, dims, baked));
    } else inputs.push({ name: n.name, elemType: n.out.dtype, shape: n.out.shape });
  }

  for (const n of live) {
    const out = nameOf(n.out);
    switch (n.kind) {
      case 'input': break;
      case 'constant': {
        initializers.push(tensor(out, n.out.dtype, n.out.shape as number[], n.data));
        break;
      }
      case 'matmul': emit('MatMul', [nameOf(n.a), nameOf(n.b)], out); break;
      case 'binary': emit(n.op, [nameOf(n.a), nameOf(n.b)], out); break;
      case 'unary': emit(n.op, [nameOf(n.x)], out); break;
      case 'reduce':
        if (n.op === 'ReduceSum') emit('ReduceSum', [nameOf(n.x), constInt64(n.axes)], out, { keepdims: { type: 'int', value: n.keepdims ? 1 : 0 } });
        else emit(n.op, [nameOf(n.x)], out, { axes: { type: 'ints', value: n.axes }, keepdims: { type: 'int', value: n.keepdims ? 1 : 0 } });
        break;
      case 'reshape': emit('Reshape', [nameOf(n.x), constInt64(n.shape)], out); break;
      case 'transpose': emit('Transpose', [nameOf(n.x)], out, { perm: { type: 'ints', value: n.perm } }); break;
      case 'softmax': emit(n.log ? 'LogSoftmax' : 'Softmax', [nameOf(n.x)], out, { axis: { type: 'int', value: -1 } }); break;
      case 'gather': emit('Gather', [nameOf(n.data), nameOf(n.indices)], out, { axis: { type: 'int', value: n.axis } }); break;
      case 'scatterAddRows': {
        const c = n.out.shape[1] as number;
        const zeros = `${out}__zeros`;
        initializers.push(tensor(zeros, n.out.dtype, [n.rows, c], n.out.dtype === 'float64' ? new Float64Array(n.rows * c) : new Float32Array(n.rows * c)));
        const idx = `${out}__idx`;
        const upd = `${out}__upd`;
        emit('Reshape', [nameOf(n.indices), constInt64([-1, 1])], idx);
        emit('Reshape', [nameOf(n.updates), constInt64([-1, c])], upd);
        emit('ScatterND', [zeros, idx, upd], out, { reduction: { type: 'string', value: 'add' } });
        break;
      }
      case 'slice': emit('Slice', [nameOf(n.x), constInt64([n.start]), constInt64([n.end]), constInt64([n.axis])], out); break;
      case 'pad': {
        const rank = n.x.shape.length;
        const pads = new Array<number>(2 * rank).fill(0);
        pads[n.axis] = n.before;
        pads[rank + n.axis] = n.after;
        emit('Pad', [nameOf(n.x), constInt64(pads)], out);
        break;
      }
      case 'concat': emit('Concat', n.xs.map(nameOf), out, { axis: { type: 'int', value: n.axis } }); break;
      case 'oneHot': {
        const values = `${out}__values`;
        // ORT's OneHot kernels produce float32 (not float64): cast when another dtype is wanted.
        initializers.push(tensor(values, 'float32', [2], Float32Array.of(0, 1)));
        const hot = n.out.dtype === 'float32' ? out : `${out}__f32`;
        emit('OneHot', [nameOf(n.indices), constInt64([n.depth], true), values], hot, { axis: { type: 'int', value: -1 } });
        if (hot !== out) emit('Cast', [hot], out, { to: { type: 'int', value: onnxType(n.out.dtype) } });
        break;
      }
      case 'expand': emit('Expand', [nameOf(n.x), constInt64(n.shape)], out); break;
      case 'cast': emit('Cast', [nameOf(n.x)], out, { to: { type: 'int', value: onnxType(n.out.dtype) } }); break;
      case 'where': emit('Where', [nameOf(n.cond), nameOf(n.a), nameOf(n.b)], out); break;
      case 'gelu': case 'geluGrad': {
        // σ form of the tanh approximation: 0.5·(1 + tanh(z)) = σ(2z), z = √(2/π)(x + 0.044715x³).
        const k2 = 2 * Math.sqrt(2 / Math.PI);
        const a = 0.044715;
        const c = (v: number): string => {
          const name = `${out}__c${k++}`;
          initializers.push(tensor(name, n.out.dtype, [], n.out.dtype === 'float64' ? Float64Array.of(v) : Float32Array.of(v)));
          return name;
        };
        const x = nameOf(n.x);
        emit('Mul', [x, x], `${out}__x2`);
        emit('Mul', [`${out}__x2`, c(a)], `${out}__ax2`);
        emit('Add', [`${out}__ax2`, c(1)], `${out}__inner`);
        emit('Mul', [x, `${out}__inner`], `${out}__xi`);
        emit('Mul', [`${out}__xi`, c(k2)], `${out}__u`);
        emit('Sigmoid', [`${out}__u`], `${out}__s`);
        if (n.kind === 'gelu') {
          emit('Mul', [x, `${out}__s`], out);
          break;
        }
        // d/dx x·σ(u) = σ + x·σ(1−σ)·du/dx, du/dx = k2·(1 + 3a·x²)
        emit('Sub', [c(1), `${out}__s`], `${out}__1ms`);
        emit('Mul', [`${out}__s`, `${out}__1ms`], `${out}__ss`);
        emit('Mul', [`${out}__ss`, x], `${out}__xss`);
        emit('Mul', [`${out}__x2`, c(3 * a * k2)], `${out}__dx2`);
        emit('Add', [`${out}__dx2`, c(k2)], `${out}__du`);
        emit('Mul', [`${out}__xss`, `${out}__du`], `${out}__t`);
        emit('Add', [`${out}__t`, `${out}__s`], `${out}__d`);
        emit('Mul', [`${out}__d`, nameOf(n.grad)], out);
        break;
      }
      case 'crossEntropy': {
        const rows = n.logits.shape[0] as number;
        emit('LogSoftmax', [nameOf(n.logits)], `${out}__logp`, { axis: { type: 'int', value: -1 } });
        emit('Reshape', [nameOf(n.targets), constInt64([rows, 1])], `${out}__idx`);
        emit('GatherElements', [`${out}__logp`, `${out}__idx`], `${out}__picked`, { axis: { type: 'int', value: 1 } });
        emit('ReduceMean', [`${out}__picked`], `${out}__mean`, { axes: { type: 'ints', value: [0, 1] }, keepdims: { type: 'int', value: 0 } });
        emit('Neg', [`${out}__mean`], out);
        break;
      }
      case 'crossEntropyGrad': {
        const rows = n.logits.shape[0] as number;
        const minusOne = `${out}__minus_one`;
        initializers.push(tensor(minusOne, n.out.dtype, [rows, 1], n.out.dtype === 'float64' ? new Float64Array(rows).fill(-1) : new Float32Array(rows).fill(-1)));
        const invN = `${out}__inv_n`;
        initializers.push(tensor(invN, n.out.dtype, [], n.out.dtype === 'float64' ? Float64Array.of(1 / rows) : Float32Array.of(1 / rows)));
        emit('Softmax', [nameOf(n.logits)], `${out}__p`, { axis: { type: 'int', value: -1 } });
        emit('Reshape', [nameOf(n.targets), constInt64([rows, 1])], `${out}__idx`);
        emit('ScatterElements', [`${out}__p`, `${out}__idx`, minusOne], `${out}__d`, { axis: { type: 'int', value: 1 }, reduction: { type: 'string', value: 'add' } });
        emit('Mul', [nameOf(n.grad), invN], `${out}__scale`);
        emit('Mul', [`${out}__d`, `${out}__scale`], out);
        break;
      }
      case 'layerNorm':
        emit('LayerNormalization', [nameOf(n.x), nameOf(n.scale), nameOf(n.bias)], out, {
          axis: { type: 'int', value: -1 }, epsilon: { type: 'float', value: n.epsilon },
        });
        break;
    }
  }

  const outputs: ValueInfoProto[] = g.outputs.map((o) => {
    if (!direct.has(o.name)) emit('Identity', [nameOf(o.value)], o.name);
    return { name: o.name, elemType: o.value.dtype, shape: o.value.shape };
  });

  return makeModel(makeGraph(onnxNodes, g.name, inputs, outputs, initializers), { irVersion: IR_VERSION, opsetVersion: OPSET_VERSION });
}

const onnxType = (d: Value['dtype']): number => ({ float32: 1, int64: 7, bool: 9, float16: 10, float64: 11 })[d];

export const compileToBytes = (g: GraphBuilder, options?: CompileOptions): Uint8Array => encodeModel(compileGraph(g, options));
