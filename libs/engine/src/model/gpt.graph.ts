/**
 * The GPT-2 forward pass on the IR, one definition for both uses:
 * - `train`: static (B, T), residual stream kept as (B·T, C) so every linear is a 2-D
 *   MatMul (cheap gradients), causal mask as an additive constant;
 * - `infer`: symbolic batch/sequence dims, position ids and an additive attention bias
 *   fed by the caller (left padding, KV cache), past/present key-value tensors per layer.
 * Reference: Radford et al. 2019; karpathy/nanoGPT model.py; HF modeling_gpt2.py.
 */
import { EngineConfigError } from '../engine.errors';
import type { GraphBuilder } from '../ir/graph.builder';
import type { Value } from '../ir/ir.types';
import { type GptConfig, headDim } from './gpt.config';

export type Params = ReadonlyMap<string, Value>;

export type ForwardMode =
  | {
      readonly kind: 'train';
      readonly batch: number;
      readonly seqLen: number;
      /** Dropout: returns a mask input (0 or 1/(1−p), fed per step) for a site of this shape; absent = no dropout. */
      readonly dropoutMask?: (shape: readonly number[]) => Value;
      /** Prompt tuning: (n, C) learned embeddings prepended to every row; hidden states are returned for the real tokens only. */
      readonly prefix?: Value;
    }
  | {
      readonly kind: 'infer';
      /** (B, T) int64 absolute positions. */
      readonly positions: Value;
      /** (B, 1, T, P) additive over the cached columns: 0 where a query may attend, -1e9 where not (needed with a cache). */
      readonly pastBias?: Value;
      /** (B, 1, T, T) additive over the new tokens (causal, and padding masked). */
      readonly newBias: Value;
      /** Per layer (B, H, P, hd) cached keys and values; a static P of 0 means no cache. */
      readonly past: readonly { readonly key: Value; readonly value: Value }[];
      /** (B, T, C) input embeddings used instead of looking up `ids` (e.g. a prompt-tuning prefix). */
      readonly embeds?: Value;
    };

export interface ForwardResult {
  /** Final hidden states after ln_f: (B·T, C) in train mode, (B, T, C) in infer mode. */
  readonly hidden: Value;
  /** Per layer (B, H, T, hd) keys and values of the new tokens only, infer mode only (the caller owns the cache). */
  readonly present: { key: Value; value: Value }[];
}

const NEG_INF = -1e9;

function param(params: Params, name: string): Value {
  const p = params.get(name);
  if (!p) throw new EngineConfigError('MODEL_CONFIG_INVALID', `missing parameter ${name}`);
  return p;
}

/** GELU, tanh approximation (GPT-2's `gelu_new`): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), one fused IR node. */
export const gelu = (g: GraphBuilder, x: Value): Value => g.gelu(x);

const linear = (g: GraphBuilder, x: Value, w: Value, b: Value): Value => g.addv(g.matmul(x, w), b);

/** Builds the decoder up to ln_f. `ids` is (B, T) int64 (unused when mode.embeds is given). */
export function gptForward(g: GraphBuilder, c: GptConfig, params: Params, ids: Value | undefined, mode: ForwardMode): ForwardResult {
  const C = c.nEmbd;
  const H = c.nHead;
  const hd = headDim(c);
  const train = mode.kind === 'train';
  const prefixLen = train && mode.prefix ? (mode.prefix.shape[0] as number) : 0;
  const B = train ? mode.batch : 0;
  const T = train ? mode.seqLen + prefixLen : 0; // positions the blocks see
  if (train && T > c.contextLength) throw new EngineConfigError('MODEL_CONFIG_INVALID', `sequence of ${T} exceeds contextLength ${c.contextLength}`);

  const embeds = mode.kind === 'infer' ? mode.embeds : undefined;
  if (!embeds && !ids) throw new EngineConfigError('MODEL_CONFIG_INVALID', 'gptForward needs ids or embeds');
  let tok = embeds ?? g.gather(param(params, 'transformer.wte.weight'), ids!); // (B, T, C)
  if (train && mode.prefix) tok = g.concat([g.expand(g.reshape(mode.prefix, [1, prefixLen, C]), [B, prefixLen, C]), tok], 1); // (B, n+T, C)
  const positions = train ? g.constant(BigInt64Array.from({ length: T }, (_, i) => BigInt(i)), 'int64', [T]) : mode.positions;
  const pos = g.gather(param(params, 'transformer.wpe.weight'), positions); // (T, C) or (B, T, C)
  let x = g.addv(tok, pos); // (B, T, C)
  if (train) x = g.reshape(x, [B * T, C]); // (B·T, C)
  const drop = (v: Value): Value => (train && mode.dropoutMask ? g.mul(v, mode.dropoutMask(v.shape as number[])) : v);
  x = drop(x); // embedding dropout

  const causal = train
    ? g.constant(Float32Array.from({ length: T * T }, (_, i) => ((i % T) > Math.floor(i / T) ? NEG_INF : 0)), 'float32', [T, T])
    : mode.newBias;
  const scale = g.scalar(1 / Math.sqrt(hd), x.dtype);
  // (B·T, C) → (B, H, T, hd), or with symbolic dims (B, T, C) → (B, H, T, hd)
  const heads = (v: Value): Value => g.transpose(g.reshape(v, train ? [B, T, H, hd] : [0, 0, H, hd]), [0, 2, 1, 3]);
  const present: { key: Value; value: Value }[] = [];

  for (let l = 0; l < c.nLayer; l++) {
    const p = (s: string): Value => param(params, `transformer.h.${l}.${s}`);
    // attention
    const h1 = g.layerNorm(x, p('ln_1.weight'), p('ln_1.bias'), c.layerNormEpsilon);
    const qkv = linear(g, h1, p('attn.c_attn.weight'), p('attn.c_attn.bias')); // (…, 3C)
    const last = qkv.shape.length - 1;
    const q = heads(g.mul(g.slice(qkv, last, 0, C), scale)); // (B, H, T, hd), pre-scaled by 1/√hd
    const k = heads(g.slice(qkv, last, C, 2 * C)); // (B, H, T, hd)
    const v = heads(g.slice(qkv, last, 2 * C, 3 * C)); // (B, H, T, hd)
    let y: Value;
    const past = mode.kind === 'infer' && mode.past[l]!.key.shape[2] !== 0 ? mode.past[l]! : undefined;
    if (mode.kind === 'infer') present.push({ key: k, value: v });
    if (past && mode.kind === 'infer') {
      if (!mode.pastBias) throw new EngineConfigError('MODEL_CONFIG_INVALID', 'a KV cache needs pastBias');
      y = g.transpose(cachedAttention(g, q, k, v, past, mode.pastBias, causal), [0, 2, 1, 3]);
    }
    else {
      const att = drop(g.softmax(g.addv(g.matmul(q, g.transpose(k, [0, 1, 3, 2])), causal))); // (B, H, T, T)
      y = g.transpose(g.matmul(att, v), [0, 2, 1, 3]); // (B, T, H, hd)
    }
    const merged = g.reshape(y, train ? [B * T, C] : [0, 0, C]); // (B·T, C) or (B, T, C)
    x = g.addv(x, drop(linear(g, merged, p('attn.c_proj.weight'), p('attn.c_proj.bias'))));
    // MLP
    const h2 = g.layerNorm(x, p('ln_2.weight'), p('ln_2.bias'), c.layerNormEpsilon);
    const fc = gelu(g, linear(g, h2, p('mlp.c_fc.weight'), p('mlp.c_fc.bias'))); // (…, 4C)
    x = g.addv(x, drop(linear(g, fc, p('mlp.c_proj.weight'), p('mlp.c_proj.bias'))));
  }
  let hidden = g.layerNorm(x, param(params, 'transformer.ln_f.weight'), param(params, 'transformer.ln_f.bias'), c.layerNormEpsilon);
  if (prefixLen > 0) hidden = g.reshape(g.slice(g.reshape(hidden, [B, T, C]), 1, prefixLen, T), [B * (T - prefixLen), C]); // (B·T, C) of the real tokens
  return { hidden, present };
}

/**
 * Attention over a KV cache without concatenating it: softmax over [cached | new] columns
 * computed in two parts that share one max and one denominator. Concat would copy the whole
 * cache every decode step (and outputting it, copy it again into JS); this reads it once.
 * Returns (B, H, T, hd).
 */
function cachedAttention(g: GraphBuilder, q: Value, k: Value, v: Value, past: { key: Value; value: Value }, pastBias: Value, newBias: Value): Value {
  const scores = (keys: Value, bias: Value) => g.addv(g.matmul(q, g.transpose(keys, [0, 1, 3, 2])), bias);
  const sPast = scores(past.key, pastBias); // (B, H, T, P)
  const sNew = scores(k, newBias); // (B, H, T, T)
  const max = g.binary('Max', g.reduce('ReduceMax', sPast, [3], true), g.reduce('ReduceMax', sNew, [3], true));
  const ePast = g.unary('Exp', g.binary('Sub', sPast, max));
  const eNew = g.unary('Exp', g.binary('Sub', sNew, max));
  const denominator = g.addv(g.reduce('ReduceSum', ePast, [3], true), g.reduce('ReduceSum', eNew, [3], true));
  return g.binary('Div', g.addv(g.matmul(ePast, past.value), g.matmul(eNew, v)), denominator);
}

/** Tied LM head: hidden (…, C) @ wteᵀ → logits (…, V). */
export const lmHead = (g: GraphBuilder, params: Params, hidden: Value): Value =>
  g.matmul(hidden, g.transpose(param(params, 'transformer.wte.weight'), [1, 0]));

/** Mean token cross-entropy of logits (N, V) against targets (N) int64 (fused: LogSoftmax + GatherElements; gradient softmax − onehot). */
export const crossEntropy = (g: GraphBuilder, logits: Value, targets: Value): Value => g.crossEntropy(logits, targets);
