/**
 * The tensor-graph IR: values (typed, shaped SSA names) and nodes as `readonly kind`
 * discriminated unions, built by frozen factories (the kysely OperationNode pattern).
 * Dims are numbers or symbolic names (ONNX dim_param) for dynamic batch/sequence axes.
 */
import { EngineError } from '../engine.errors';

export type DType = 'float32' | 'float64' | 'float16' | 'int64' | 'bool';
export type Dim = number | string;
export type Shape = readonly Dim[];

export interface Value {
  readonly id: number;
  readonly dtype: DType;
  readonly shape: Shape;
}

export type BinaryOp = 'Add' | 'Sub' | 'Mul' | 'Div' | 'Pow' | 'Min' | 'Max';
export type UnaryOp = 'Neg' | 'Tanh' | 'Exp' | 'Log' | 'Sqrt' | 'Reciprocal' | 'Abs';
export type ReduceOp = 'ReduceSum' | 'ReduceMean' | 'ReduceMax';
export type TensorData = Float32Array | Float64Array | BigInt64Array | Uint16Array | Uint8Array;

export type Node =
  | { readonly kind: 'input'; readonly out: Value; readonly name: string }
  | { readonly kind: 'constant'; readonly out: Value; readonly data: TensorData }
  | { readonly kind: 'matmul'; readonly out: Value; readonly a: Value; readonly b: Value }
  | { readonly kind: 'binary'; readonly out: Value; readonly op: BinaryOp; readonly a: Value; readonly b: Value }
  | { readonly kind: 'unary'; readonly out: Value; readonly op: UnaryOp; readonly x: Value }
  | { readonly kind: 'reduce'; readonly out: Value; readonly op: ReduceOp; readonly x: Value; readonly axes: readonly number[]; readonly keepdims: boolean }
  | { readonly kind: 'reshape'; readonly out: Value; readonly x: Value; readonly shape: readonly number[] }
  | { readonly kind: 'transpose'; readonly out: Value; readonly x: Value; readonly perm: readonly number[] }
  | { readonly kind: 'softmax'; readonly out: Value; readonly x: Value; readonly log: boolean }
  | { readonly kind: 'gather'; readonly out: Value; readonly data: Value; readonly indices: Value; readonly axis: number }
  | { readonly kind: 'scatterAddRows'; readonly out: Value; readonly rows: number; readonly indices: Value; readonly updates: Value }
  | { readonly kind: 'slice'; readonly out: Value; readonly x: Value; readonly axis: number; readonly start: number; readonly end: number }
  | { readonly kind: 'pad'; readonly out: Value; readonly x: Value; readonly axis: number; readonly before: number; readonly after: number }
  | { readonly kind: 'concat'; readonly out: Value; readonly xs: readonly Value[]; readonly axis: number }
  | { readonly kind: 'oneHot'; readonly out: Value; readonly indices: Value; readonly depth: number }
  | { readonly kind: 'expand'; readonly out: Value; readonly x: Value; readonly shape: readonly number[] }
  | { readonly kind: 'cast'; readonly out: Value; readonly x: Value }
  | { readonly kind: 'where'; readonly out: Value; readonly cond: Value; readonly a: Value; readonly b: Value }
  | { readonly kind: 'layerNorm'; readonly out: Value; readonly x: Value; readonly scale: Value; readonly bias: Value; readonly epsilon: number }
  /** GELU, tanh approximation (GPT-2 `gelu_new`), computed as x·σ(2√(2/π)(x + 0.044715x³)). */
  | { readonly kind: 'gelu'; readonly out: Value; readonly x: Value }
  /** grad · d gelu(x)/dx. */
  | { readonly kind: 'geluGrad'; readonly out: Value; readonly x: Value; readonly grad: Value }
  /** Mean over rows of −log softmax(logits)[target]: logits (N, V), targets (N) int64 → (). */
  | { readonly kind: 'crossEntropy'; readonly out: Value; readonly logits: Value; readonly targets: Value }
  /** d(crossEntropy)/d(logits) scaled by the scalar `grad`: (softmax(logits) − onehot(targets)) · grad / N. */
  | { readonly kind: 'crossEntropyGrad'; readonly out: Value; readonly logits: Value; readonly targets: Value; readonly grad: Value };

export type NodeKind = Node['kind'];

/** Inputs of a node in a fixed order (the order gradients are reported in). */
export function nodeInputs(n: Node): readonly Value[] {
  switch (n.kind) {
    case 'input': case 'constant': return [];
    case 'matmul': case 'binary': return [n.a, n.b];
    case 'unary': case 'reduce': case 'reshape': case 'transpose': case 'softmax':
    case 'slice': case 'pad': case 'expand': case 'cast': return [n.x];
    case 'gather': return [n.data, n.indices];
    case 'scatterAddRows': return [n.indices, n.updates];
    case 'concat': return n.xs;
    case 'oneHot': return [n.indices];
    case 'where': return [n.cond, n.a, n.b];
    case 'layerNorm': return [n.x, n.scale, n.bias];
    case 'gelu': return [n.x];
    case 'geluGrad': return [n.x, n.grad];
    case 'crossEntropy': return [n.logits, n.targets];
    case 'crossEntropyGrad': return [n.logits, n.targets, n.grad];
  }
}

export class ShapeError extends EngineError<'SHAPE_MISMATCH'> {
  constructor(message: string) {
    super('SHAPE_MISMATCH', message);
  }
}

export class GradientError extends EngineError<'NO_GRADIENT'> {
  constructor(message: string) {
    super('NO_GRADIENT', message);
  }
}

export const isFloat = (d: DType): boolean => d === 'float32' || d === 'float64' || d === 'float16';
export const numel = (s: Shape): number => s.reduce<number>((n, d) => {
  if (typeof d !== 'number') throw new ShapeError(`numel of symbolic shape [${s.join(', ')}]`);
  return n * d;
}, 1);
