/**
 * The GPT-2 parameter list in Hugging Face layout (Conv1D weights stored [in, out], so
 * y = x @ W + b), with which ones take weight decay and how each is initialised.
 * The LM head is tied to `transformer.wte.weight` and has no tensor of its own.
 */
import type { GptConfig } from './gpt.config';

export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /** AdamW decoupled weight decay: on matmul weights and embeddings (nanoGPT: every 2-D tensor), never on biases or LayerNorm. */
  readonly decay: boolean;
  readonly init: 'normal' | 'residual' | 'zeros' | 'ones';
}

export function paramSpecs(c: GptConfig): ParamSpec[] {
  const C = c.nEmbd;
  const specs: ParamSpec[] = [
    { name: 'transformer.wte.weight', shape: [c.vocabSize, C], decay: true, init: 'normal' },
    { name: 'transformer.wpe.weight', shape: [c.contextLength, C], decay: true, init: 'normal' },
  ];
  for (let l = 0; l < c.nLayer; l++) {
    const p = `transformer.h.${l}`;
    specs.push(
      { name: `${p}.ln_1.weight`, shape: [C], decay: false, init: 'ones' },
      { name: `${p}.ln_1.bias`, shape: [C], decay: false, init: 'zeros' },
      { name: `${p}.attn.c_attn.weight`, shape: [C, 3 * C], decay: true, init: 'normal' },
      { name: `${p}.attn.c_attn.bias`, shape: [3 * C], decay: false, init: 'zeros' },
      { name: `${p}.attn.c_proj.weight`, shape: [C, C], decay: true, init: 'residual' },
      { name: `${p}.attn.c_proj.bias`, shape: [C], decay: false, init: 'zeros' },
      { name: `${p}.ln_2.weight`, shape: [C], decay: false, init: 'ones' },
      { name: `${p}.ln_2.bias`, shape: [C], decay: false, init: 'zeros' },
      { name: `${p}.mlp.c_fc.weight`, shape: [C, 4 * C], decay: true, init: 'normal' },
      { name: `${p}.mlp.c_fc.bias`, shape: [4 * C], decay: false, init: 'zeros' },
      { name: `${p}.mlp.c_proj.weight`, shape: [4 * C, C], decay: true, init: 'residual' },
      { name: `${p}.mlp.c_proj.bias`, shape: [C], decay: false, init: 'zeros' },
    );
  }
  specs.push(
    { name: 'transformer.ln_f.weight', shape: [C], decay: false, init: 'ones' },
    { name: 'transformer.ln_f.bias', shape: [C], decay: false, init: 'zeros' },
  );
  return specs;
}

export const countParams = (c: GptConfig): number =>
  paramSpecs(c).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);

export type Weights = Map<string, Float32Array>;
