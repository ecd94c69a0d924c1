/**
 * LoRA (Hu et al. 2021): a frozen weight W (in, out) is used as W + (alpha/r)·A·B with
 * trainable A (in, r) and B (r, out). B starts at zero, so training starts from the base
 * model; A starts U(±1/√in) as PEFT's kaiming-uniform. Only adapters enter the optimizer.
 * Adapters can stay separate (hot-loaded by serving) or be merged into the weights.
 */
import type { GraphBuilder } from '../ir/graph.builder';
import type { Value } from '../ir/ir.types';
import { Rng } from '../train/rng';
import type { GptConfig } from './gpt.config';
import { type ParamSpec, paramSpecs, type Weights } from './gpt.params';

export const LORA_TARGETS = ['attn.c_attn', 'attn.c_proj', 'mlp.c_fc', 'mlp.c_proj'] as const;
export type LoraTarget = (typeof LORA_TARGETS)[number];

export interface LoraConfig {
  readonly rank: number;
  /** Scale numerator: the update is (alpha / rank)·A·B. */
  readonly alpha: number;
  /** Matrices that get adapters (default: attn.c_attn, as the LoRA paper's Wq/Wv choice on a fused qkv). */
  readonly targets?: readonly LoraTarget[];
}

const targetsOf = (lora: LoraConfig): readonly LoraTarget[] => lora.targets ?? ['attn.c_attn'];

/** Adapter parameter specs: `lora.<weight name>.A` (in, r) and `.B` (r, out); no weight decay. */
export function loraSpecs(c: GptConfig, lora: LoraConfig): ParamSpec[] {
  const base = new Map(paramSpecs(c).map((s) => [s.name, s]));
  const specs: ParamSpec[] = [];
  for (let l = 0; l < c.nLayer; l++) {
    for (const t of targetsOf(lora)) {
      const w = base.get(`transformer.h.${l}.${t}.weight`)!;
      const [fanIn, fanOut] = w.shape as [number, number];
      specs.push({ name: `lora.${w.name}.A`, shape: [fanIn, lora.rank], decay: false, init: 'normal' });
      specs.push({ name: `lora.${w.name}.B`, shape: [lora.rank, fanOut], decay: false, init: 'zeros' });
    }
  }
  return specs;
}

export function initLora(c: GptConfig, lora: LoraConfig, seed: number): Weights {
  const rng = new Rng(seed);
  return new Map(loraSpecs(c, lora).map((s) => {
    const data = new Float32Array(s.shape[0]! * s.shape[1]!);
    if (s.name.endsWith('.A')) {
      const bound = 1 / Math.sqrt(s.shape[0]!);
      for (let i = 0; i < data.length; i++) data[i] = (2 * rng.next() - 1) * bound;
    }
    return [s.name, data];
  }));
}

/** Replaces each targeted weight in `params` by W + (alpha/r)·A·B (graph values). */
export function applyLora(g: GraphBuilder, params: Map<string, Value>, adapters: ReadonlyMap<string, Value>, lora: LoraConfig): void {
  const scale = g.scalar(lora.alpha / lora.rank);
  for (const [name, a] of adapters) {
    if (!name.endsWith('.A')) continue;
    const weight = name.slice('lora.'.length, -'.A'.length);
    const b = adapters.get(`lora.${weight}.B`)!;
    params.set(weight, g.addv(params.get(weight)!, g.mul(g.matmul(a, b), scale)));
  }
}

/** Merged weights: W + (alpha/r)·A·B for every adapter (plain loops: rank-r products, once). */
export function mergeLora(c: GptConfig, base: Weights, adapters: Weights, lora: LoraConfig): Weights {
  const merged: Weights = new Map([...base].map(([k, v]) => [k, Float32Array.from(v)]));
  const scale = lora.alpha / lora.rank;
  for (const s of loraSpecs(c, lora)) {
    if (!s.name.endsWith('.A')) continue;
    const weight = s.name.slice('lora.'.length, -'.A'.length);
    const [fanIn, r] = s.shape as [number, number];
    const a = adapters.get(s.name)!;
    const b = adapters.get(`lora.${weight}.B`)!;
    const w = merged.get(weight)!;
    const fanOut = w.length / fanIn;
    for (let i = 0; i < fanIn; i++) {
      for (let k = 0; k < r; k++) {
        const aik = a[i * r + k]! * scale;
        if (aik === 0) continue;
        for (let j = 0; j < fanOut; j++) w[i * fanOut + j]! += aik * b[k * fanOut + j]!;
      }
    }
  }
  return merged;
}
