/**
 * Reverse-mode automatic differentiation over the IR. `gradients()` appends the backward
 * nodes to the same builder and returns d(loss)/d(value) for each requested value. Only
 * nodes on a path from a requested value to the loss are differentiated, so integer index
 * paths and constants never need gradients. Each rule is checked against finite
 * differences in autodiff.test.ts.
 */
import type { GraphBuilder } from '../ir/graph.builder';
import { type Node, type Shape, type Value, GradientError, nodeInputs } from '../ir/ir.types';

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

function numeric(shape: Shape, what: string): number[] {
  return shape.map((d) => {
    if (typeof d !== 'number') throw new GradientError(`${what}: gradient needs static shapes, got [${shape.join(', ')}]`);
    return d;
  });
}

/** Sums a broadcast gradient back down to `shape` (the inverse of numpy broadcasting). */
export function reduceTo(g: GraphBuilder, grad: Value, shape: Shape): Value {
  if (sameShape(grad.shape, shape)) return grad;
  const lead = grad.shape.length - shape.length;
  const axes: number[] = [];
  grad.shape.forEach((d, i) => {
    if (i < lead || (shape[i - lead] === 1 && d !== 1)) axes.push(i);
  });
  const summed = axes.length ? g.reduce('ReduceSum', grad, axes, true) : grad;
  return sameShape(summed.shape, shape) ? summed : g.reshape(summed, numeric(shape, 'reduceTo'));
}

const swapLast = (rank: number): number[] => [...Array(rank).keys()].map((i) => (i === rank - 2 ? rank - 1 : i === rank - 1 ? rank - 2 : i));

/** Gradient of one node: for each input, its contribution (or undefined where not needed). */
function backward(g: GraphBuilder, n: Node, G: Value, need: (v: Value) => boolean): (Value | undefined)[] {
  const c = (x: number): Value => g.scalar(x, G.dtype);
  switch (n.kind) {
    case 'input': case 'constant': case 'oneHot': return [];
    case 'matmul': {
      const { a, b } = n;
      return [
        need(a) ? reduceTo(g, g.matmul(G, g.transpose(b, swapLast(b.shape.length))), a.shape) : undefined,
        need(b) ? reduceTo(g, g.matmul(g.transpose(a, swapLast(a.shape.length)), G), b.shape) : undefined,
      ];
    }
    case 'binary': {
      const { a, b } = n;
      switch (n.op) {
        case 'Add': return [need(a) ? reduceTo(g, G, a.shape) : undefined, need(b) ? reduceTo(g, G, b.shape) : undefined];
        case 'Sub': return [need(a) ? reduceTo(g, G, a.shape) : undefined, need(b) ? reduceTo(g, g.unary('Neg', G), b.shape) : undefined];
        case 'Mul': return [need(a) ? reduceTo(g, g.mul(G, b), a.shape) : undefined, need(b) ? reduceTo(g, g.mul(G, a), b.shape) : undefined];
        case 'Div': return [
          need(a) ? reduceTo(g, g.div(G, b), a.shape) : undefined,
          need(b) ? reduceTo(g, g.unary('Neg', g.div(g.mul(G, n.out), b)), b.shape) : undefined,
        ];
        case 'Pow': {
          if (need(b)) throw new GradientError('Pow: gradient with respect to the exponent is not supported');
          return [reduceTo(g, g.mul(G, g.mul(b, g.binary('Pow', a, g.sub(b, c(1))))), a.shape)];
        }
        default: throw new GradientError(`${n.op} is not differentiable here`);
      }
    }
    case 'unary': {
      const y = n.out;
      switch (n.op) {
        case 'Neg': return [g.unary('Neg', G)];
        case 'Tanh': return [g.mul(G, g.sub(c(1), g.mul(y, y)))];
        case 'Exp': return [g.mul(G, y)];
        case 'Log': return [g.div(G, n.x)];
        case 'Sqrt': return [g.div(g.mul(G, c(0.5)), y)];
        case 'Reciprocal': return [g.unary('Neg', g.mul(G, g.mul(y, y)))];
        case 'Abs': throw new GradientError('Abs is not differentiable here');
      }
      throw new GradientError('unknown unary op');
    }
    case 'reduce': {
      if (n.op === 'ReduceMax') throw new GradientError('ReduceMax is not differentiable here');
      const xs = numeric(n.x.shape, n.op);
      const kept = n.keepdims ? G : g.reshape(G, xs.map((d, i) => (n.axes.includes(i) ? 1 : d)));
      let grad = g.expand(kept, xs);
      if (n.op === 'ReduceMean') grad = g.mul(grad, c(1 / n.axes.reduce((p, a) => p * xs[a]!, 1)));
      return [grad];
    }
    case 'reshape': return [g.reshape(G, numeric(n.x.shape, 'Reshape'))];
    case 'transpose': {
      const inverse = new Array<number>(n.perm.length);
      n.perm.forEach((p, i) => (inverse[p] = i));
      return [g.transpose(G, inverse)];
    }
    case 'softmax': {
      const y = n.out;
      if (n.log) return [g.sub(G, g.mul(g.unary('Exp', y), g.reduce('ReduceSum', G, [-1], true)))];
      return [g.mul(y, g.sub(G, g.reduce('ReduceSum', g.mul(G, y), [-1], true)))];
    }
    case 'gather': {
      if (need(n.indices)) throw new GradientError('Gather: indices are not differentiable');
      if (n.axis !== 0 || n.data.shape.length !== 2) throw new GradientError('Gather: gradient only for row lookups (embeddings)');
      return [g.scatterAddRows(n.data.shape[0] as number, n.indices, G), undefined];
    }
    case 'scatterAddRows': throw new GradientError('scatterAddRows is not differentiable here');
    case 'slice': {
      const dim = n.x.shape[n.axis];
      if (typeof dim !== 'number') throw new GradientError('Slice of a symbolic axis');
      return [g.pad(G, n.axis, n.start, dim - n.end)];
    }
    case 'pad': return [g.slice(G, n.axis, n.before, n.before + (n.x.shape[n.axis] as number))];
    case 'concat': {
      let at = 0;
      return n.xs.map((x) => {
        const d = x.shape[n.axis] as number;
        const part = g.slice(G, n.axis, at, at + d);
        at += d;
        return need(x) ? part : undefined;
      });
    }
    case 'expand': return [reduceTo(g, G, n.x.shape)];
    case 'cast': return [g.cast(G, n.x.dtype)];
    case 'where': {
      const zero = c(0);
      return [
        undefined,
        need(n.a) ? reduceTo(g, g.where(n.cond, G, zero), n.a.shape) : undefined,
        need(n.b) ? reduceTo(g, g.where(n.cond, zero, G), n.b.shape) : undefined,
      ];
    }
    case 'gelu': return [g.geluGrad(n.x, G)];
    case 'geluGrad': throw new GradientError('geluGrad is not differentiable here');
    case 'crossEntropy': {
      if (need(n.targets)) throw new GradientError('crossEntropy: targets are not differentiable');
      return [g.crossEntropyGrad(n.logits, n.targets, G), undefined];
    }
    case 'crossEntropyGrad': throw new GradientError('crossEntropyGrad is not differentiable here');
    case 'layerNorm': {
      // Recompute the statistics instead of storing them: cheap next to the matmuls.
      const { x, scale } = n;
      const mean = g.reduce('ReduceMean', x, [-1], true);
      const xc = g.sub(x, mean);
      const variance = g.reduce('ReduceMean', g.mul(xc, xc), [-1], true);
      const rstd = g.unary('Reciprocal', g.unary('Sqrt', g.addv(variance, c(n.epsilon))));
      const xhat = g.mul(xc, rstd);
      const dxhat = g.mul(G, scale);
      const dx = g.mul(rstd, g.sub(g.sub(dxhat, g.reduce('ReduceMean', dxhat, [-1], true)), g.mul(xhat, g.reduce('ReduceMean', g.mul(dxhat, xhat), [-1], true))));
      return [need(x) ? dx : undefined, need(scale) ? reduceTo(g, g.mul(G, xhat), scale.shape) : undefined, need(n.bias) ? reduceTo(g, G, n.bias.shape) : undefined];
    }
  }
}

/**
 * Appends the backward pass for `loss` (any shape; seeded with ones, or `seed`) and returns
 * the gradient for each of `wrt`, in order. A value the loss does not depend on gets zeros.
 */
export function gradients(g: GraphBuilder, loss: Value, wrt: readonly Value[], seed?: Value): Value[] {
  const forward = [...g.nodes];
  const wanted = new Set(wrt.map((v) => v.id));
  // Values that depend on some requested value: only their gradients are ever needed.
  const active = new Set<number>();
  for (const n of forward) {
    if (wanted.has(n.out.id) || nodeInputs(n).some((i) => active.has(i.id))) active.add(n.out.id);
  }
  // Contributions are summed only when a value's gradient is read, so they can be combined as a whole.
  const contributionsTo = new Map<number, Value[]>();
  const lossIndex = forward.findIndex((n) => n.out.id === loss.id);
  if (lossIndex < 0) throw new GradientError('loss is not a node of this graph');
  contributionsTo.set(loss.id, [seed ?? g.expand(g.scalar(1, loss.dtype), numeric(loss.shape, 'loss'))]);
  const gradOf = (v: Value): Value | undefined => {
    const parts = contributionsTo.get(v.id);
    return parts && sumContributions(g, parts);
  };
  for (let i = lossIndex; i >= 0; i--) {
    const n = forward[i]!;
    if (!active.has(n.out.id)) continue;
    const G = gradOf(n.out);
    if (!G) continue;
    const ins = nodeInputs(n);
    const need = (v: Value): boolean => active.has(v.id);
    const contributions = backward(g, n, G, need);
    ins.forEach((input, k) => {
      const d = contributions[k];
      if (!d || !active.has(input.id)) return;
      const parts = contributionsTo.get(input.id);
      if (parts) parts.push(d);
      else contributionsTo.set(input.id, [d]);
    });
  }
  return wrt.map((v) => gradOf(v) ?? g.expand(g.scalar(0, v.dtype), numeric(v.shape, 'zero gradient')));
}

/**
 * The sum of a value's gradient contributions. When they are the padded gradients of slices
 * that tile one axis (q, k and v cut from one projection), the sum is their concatenation: one
 * Concat instead of a Pad per slice and an Add per pair, all over the full tensor. The pads left
 * unused are not reachable from any output and are not compiled.
 */
function sumContributions(g: GraphBuilder, parts: readonly Value[]): Value {
  if (parts.length === 1) return parts[0]!;
  const tiled = tilingPads(g, parts);
  if (tiled) return g.concat(tiled.pieces, tiled.axis);
  return parts.reduce((a, b) => g.addv(a, b));
}

function tilingPads(g: GraphBuilder, parts: readonly Value[]): { axis: number; pieces: Value[] } | undefined {
  const ids = new Set(parts.map((p) => p.id));
  const pads = g.nodes.filter((n): n is Extract<Node, { kind: 'pad' }> => n.kind === 'pad' && ids.has(n.out.id));
  if (pads.length !== parts.length) return undefined;
  const axis = pads[0]!.axis;
  if (pads.some((p) => p.axis !== axis)) return undefined;
  const sorted = [...pads].sort((a, b) => a.before - b.before);
  const total = sorted[0]!.out.shape[axis];
  let at = 0;
  for (const p of sorted) {
    if (p.before !== at) return undefined;
    at += p.x.shape[axis] as number;
  }
  return at === total ? { axis, pieces: sorted.map((p) => p.x) } : undefined;
}
