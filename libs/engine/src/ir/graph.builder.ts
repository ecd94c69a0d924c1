/**
 * Graph builder: every op method checks its operands, infers the output dtype and shape,
 * appends one frozen node and returns its value. Builders fail loudly (ShapeError) on
 * inconsistent shapes, like onnx helper.py's makeNode/makeGraph.
 *
 * @example
 * const g = new GraphBuilder('mlp');
 * const x = g.input('x', 'float32', ['B', 4]);
 * const w = g.input('w', 'float32', [4, 2]);
 * g.output('y', g.matmul(x, w)); // (B, 2)
 */
import {
  type BinaryOp, type DType, type Dim, type Node, type ReduceOp, type Shape, type TensorData, type UnaryOp, type Value,
  ShapeError, isFloat,
} from './ir.types';

export interface GraphOutput {
  readonly name: string;
  readonly value: Value;
}

const normAxis = (axis: number, rank: number): number => {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new ShapeError(`axis ${axis} out of range for rank ${rank}`);
  return a;
};

/** Numpy broadcasting of two shapes; symbolic dims broadcast only against 1 or themselves. */
export function broadcastShapes(a: Shape, b: Shape): Shape {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else if (typeof da === 'string' && typeof db === 'number') out.push(db);
    else if (typeof db === 'string' && typeof da === 'number') out.push(da);
    // Two different symbolic names: ONNX checks equality at run time.
    else if (typeof da === 'string' && typeof db === 'string') out.push(da);
    else throw new ShapeError(`cannot broadcast [${a.join(', ')}] with [${b.join(', ')}]`);
  }
  return out;
}

export class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly outputs: GraphOutput[] = [];
  private nextId = 0;

  constructor(readonly name: string) {}

  private add(make: (out: Value) => Node, dtype: DType, shape: Shape): Value {
    const out: Value = Object.freeze({ id: this.nextId++, dtype, shape: Object.freeze([...shape]) });
    this.nodes.push(Object.freeze(make(out)));
    return out;
  }

  private sameDtype(op: string, ...vs: Value[]): DType {
    const d = vs[0]!.dtype;
    for (const v of vs) if (v.dtype !== d) throw new ShapeError(`${op}: dtype ${v.dtype} != ${d}`);
    return d;
  }

  input(name: string, dtype: DType, shape: Shape): Value {
    if (this.nodes.some((n) => n.kind === 'input' && n.name === name)) throw new ShapeError(`duplicate input ${name}`);
    return this.add((out) => ({ kind: 'input', out, name }), dtype, shape);
  }

  constant(data: TensorData, dtype: DType, shape: Shape): Value {
    const expected = shape.reduce<number>((n, d) => n * (d as number), 1);
    if (shape.some((d) => typeof d !== 'number') || data.length !== expected) {
      throw new ShapeError(`constant of shape [${shape.join(', ')}] has ${data.length} elements`);
    }
    return this.add((out) => ({ kind: 'constant', out, data }), dtype, shape);
  }

  /** A scalar constant of the given float dtype. */
  scalar(value: number, dtype: DType = 'float32'): Value {
    const data = dtype === 'float64' ? Float64Array.of(value) : Float32Array.of(value);
    if (dtype !== 'float32' && dtype !== 'float64') throw new ShapeError(`scalar of dtype ${dtype}`);
    return this.constant(data, dtype, []);
  }

  output(name: string, value: Value): void {
    if (this.outputs.some((o) => o.name === name)) throw new ShapeError(`duplicate output ${name}`);
    this.outputs.push({ name, value });
  }

  matmul(a: Value, b: Value): Value {
    const dtype = this.sameDtype('MatMul', a, b);
    if (a.shape.length < 2 || b.shape.length < 2) throw new ShapeError('MatMul needs rank >= 2 operands');
    const k1 = a.shape[a.shape.length - 1]!;
    const k2 = b.shape[b.shape.length - 2]!;
    if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2) {
      throw new ShapeError(`MatMul inner dims differ: [${a.shape.join(', ')}] @ [${b.shape.join(', ')}]`);
    }
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
    return this.add((out) => ({ kind: 'matmul', out, a, b }), dtype, [...batch, a.shape[a.shape.length - 2]!, b.shape[b.shape.length - 1]!]);
  }

  binary(op: BinaryOp, a: Value, b: Value): Value {
    const dtype = this.sameDtype(op, a, b);
    return this.add((out) => ({ kind: 'binary', out, op, a, b }), dtype, broadcastShapes(a.shape, b.shape));
  }
  addv = (a: Value, b: Value): Value => this.binary('Add', a, b);
  sub = (a: Value, b: Value): Value => this.binary('Sub', a, b);
  mul = (a: Value, b: Value): Value => this.binary('Mul', a, b);
  div = (a: Value, b: Value): Value => this.binary('Div', a, b);

  unary(op: UnaryOp, x: Value): Value {
    if (!isFloat(x.dtype)) throw new ShapeError(`${op} needs a float operand, got ${x.dtype}`);
    return this.add((out) => ({ kind: 'unary', out, op, x }), x.dtype, x.shape);
  }

  reduce(op: ReduceOp, x: Value, axes: readonly number[], keepdims: boolean): Value {
    const norm = axes.map((a) => normAxis(a, x.shape.length));
    const shape = x.shape.flatMap((d, i) => (norm.includes(i) ? (keepdims ? [1] : []) : [d]));
    return this.add((out) => ({ kind: 'reduce', out, op, x, axes: Object.freeze(norm), keepdims }), x.dtype, shape);
  }

  /** ONNX Reshape semantics: 0 copies the input dim, one -1 is inferred. */
  reshape(x: Value, shape: readonly number[]): Value {
    const out: Dim[] = shape.map((d, i) => (d === 0 ? x.shape[i]! : d));
    const minus = out.filter((d) => d === -1).length;
    if (minus > 1) throw new ShapeError('Reshape: more than one -1');
    const known = out.filter((d) => d !== -1);
    const inNumeric = x.shape.every((d) => typeof d === 'number');
    const outNumeric = known.every((d) => typeof d === 'number');
    if (inNumeric && outNumeric) {
      const total = (x.shape as number[]).reduce((n, d) => n * d, 1);
      const part = (known as number[]).reduce((n, d) => n * d, 1);
      if (minus === 1) {
        if (total % part !== 0) throw new ShapeError(`Reshape [${x.shape.join(', ')}] to [${shape.join(', ')}]`);
        out[out.indexOf(-1)] = total / part;
      } else if (part !== total) throw new ShapeError(`Reshape [${x.shape.join(', ')}] to [${shape.join(', ')}]: ${total} != ${part}`);
    } else if (minus === 1) {
      out[out.indexOf(-1)] = `reshape_${this.nextId}`;
    }
    return this.add((o) => ({ kind: 'reshape', out: o, x, shape: Object.freeze([...shape]) }), x.dtype, out);
  }

  transpose(x: Value, perm: readonly number[]): Value {
    if (perm.length !== x.shape.length || [...perm].sort().some((p, i) => p !== i)) {
      throw new ShapeError(`Transpose perm [${perm.join(', ')}] for rank ${x.shape.length}`);
    }
    return this.add((out) => ({ kind: 'transpose', out, x, perm: Object.freeze([...perm]) }), x.dtype, perm.map((p) => x.shape[p]!));
  }

  /** Softmax (or LogSoftmax) over the last axis. */
  softmax(x: Value, log = false): Value {
    return this.add((out) => ({ kind: 'softmax', out, x, log }), x.dtype, x.shape);
  }

  gather(data: Value, indices: Value, axis = 0): Value {
    if (indices.dtype !== 'int64') throw new ShapeError('Gather indices must be int64');
    const a = normAxis(axis, data.shape.length);
    const shape = [...data.shape.slice(0, a), ...indices.shape, ...data.shape.slice(a + 1)];
    return this.add((out) => ({ kind: 'gather', out, data, indices, axis: a }), data.dtype, shape);
  }

  /** zeros(rows, C) with updates (…, C) added at rows `indices` (…): the gradient of an embedding Gather. */
  scatterAddRows(rows: number, indices: Value, updates: Value): Value {
    const c = updates.shape[updates.shape.length - 1]!;
    if (indices.shape.length !== updates.shape.length - 1) throw new ShapeError('scatterAddRows: indices must match updates minus the last axis');
    return this.add((out) => ({ kind: 'scatterAddRows', out, rows, indices, updates }), updates.dtype, [rows, c]);
  }

  slice(x: Value, axis: number, start: number, end: number): Value {
    const a = normAxis(axis, x.shape.length);
    const dim = x.shape[a]!;
    if (start < 0 || end < start || (typeof dim === 'number' && end > dim)) throw new ShapeError(`Slice [${start}, ${end}) of dim ${dim}`);
    const shape = x.shape.map((d, i) => (i === a ? end - start : d));
    return this.add((out) => ({ kind: 'slice', out, x, axis: a, start, end }), x.dtype, shape);
  }

  pad(x: Value, axis: number, before: number, after: number): Value {
    const a = normAxis(axis, x.shape.length);
    const dim = x.shape[a]!;
    if (typeof dim !== 'number') throw new ShapeError('Pad of a symbolic axis');
    const shape = x.shape.map((d, i) => (i === a ? dim + before + after : d));
    return this.add((out) => ({ kind: 'pad', out, x, axis: a, before, after }), x.dtype, shape);
  }

  concat(xs: readonly Value[], axis: number): Value {
    const first = xs[0];
    if (!first) throw new ShapeError('Concat of nothing');
    const a = normAxis(axis, first.shape.length);
    const dtype = this.sameDtype('Concat', ...xs);
    let total: Dim = 0;
    for (const x of xs) {
      if (x.shape.length !== first.shape.length) throw new ShapeError('Concat ranks differ');
      x.shape.forEach((d, i) => {
        if (i !== a && typeof d === 'number' && typeof first.shape[i] === 'number' && d !== first.shape[i]) {
          throw new ShapeError(`Concat dims differ on axis ${i}`);
        }
      });
      const d = x.shape[a]!;
      total = typeof total === 'number' && typeof d === 'number' ? total + d : `concat_${this.nextId}`;
    }
    return this.add((out) => ({ kind: 'concat', out, xs: Object.freeze([...xs]), axis: a }), dtype, first.shape.map((d, i) => (i === a ? total : d)));
  }

  oneHot(indices: Value, depth: number, dtype: DType = 'float32'): Value {
    if (indices.dtype !== 'int64') throw new ShapeError('OneHot indices must be int64');
    return this.add((out) => ({ kind: 'oneHot', out, indices, depth }), dtype, [...indices.shape, depth]);
  }

  expand(x: Value, shape: readonly number[]): Value {
    return this.add((out) => ({ kind: 'expand', out, x, shape: Object.freeze([...shape]) }), x.dtype, broadcastShapes(x.shape, shape));
  }

  cast(x: Value, to: DType): Value {
    return this.add((out) => ({ kind: 'cast', out, x }), to, x.shape);
  }

  where(cond: Value, a: Value, b: Value): Value {
    if (cond.dtype !== 'bool') throw new ShapeError('Where condition must be bool');
    const dtype = this.sameDtype('Where', a, b);
    return this.add((out) => ({ kind: 'where', out, cond, a, b }), dtype, broadcastShapes(cond.shape, broadcastShapes(a.shape, b.shape)));
  }

  /** LayerNormalization over the last axis with scale and bias of shape (C). */
  layerNorm(x: Value, scale: Value, bias: Value, epsilon = 1e-5): Value {
    const dtype = this.sameDtype('LayerNormalization', x, scale, bias);
    const c = x.shape[x.shape.length - 1];
    if (scale.shape.length !== 1 || bias.shape.length !== 1 || scale.shape[0] !== c || bias.shape[0] !== c) {
      throw new ShapeError(`LayerNormalization: scale/bias must be (${c})`);
    }
    return this.add((out) => ({ kind: 'layerNorm', out, x, scale, bias, epsilon }), dtype, x.shape);
  }

  gelu(x: Value): Value {
    if (!isFloat(x.dtype)) throw new ShapeError('GELU needs a float operand');
    return this.add((out) => ({ kind: 'gelu', out, x }), x.dtype, x.shape);
  }

  geluGrad(x: Value, grad: Value): Value {
    return this.add((out) => ({ kind: 'geluGrad', out, x, grad }), x.dtype, broadcastShapes(x.shape, grad.shape));
  }

  /** Mean token cross-entropy of logits (N, V) against int64 targets (N); one fused node with a cheap gradient. */
  crossEntropy(logits: Value, targets: Value): Value {
    if (logits.shape.length !== 2 || targets.shape.length !== 1 || targets.dtype !== 'int64') throw new ShapeError('crossEntropy needs logits (N, V) and int64 targets (N)');
    if (typeof logits.shape[0] !== 'number' || logits.shape[0] !== targets.shape[0]) throw new ShapeError('crossEntropy: N must be static and agree');
    return this.add((out) => ({ kind: 'crossEntropy', out, logits, targets }), logits.dtype, []);
  }

  crossEntropyGrad(logits: Value, targets: Value, grad: Value): Value {
    if (grad.shape.length !== 0) throw new ShapeError('crossEntropyGrad: grad must be a scalar');
    return this.add((out) => ({ kind: 'crossEntropyGrad', out, logits, targets, grad }), logits.dtype, logits.shape);
  }

  /** Inputs in declaration order. */
  inputs(): { name: string; value: Value }[] {
    return this.nodes.flatMap((n) => (n.kind === 'input' ? [{ name: n.name, value: n.out }] : []));
  }
}
