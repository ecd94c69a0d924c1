/**
 * GPT-2 architecture configuration with a reason on each default (nanoGPT style), and the
 * named presets. Field names map 1:1 onto Hugging Face GPT2Config (see interop/hf-gpt2.ts).
 */
import { z } from 'zod';

export const GptConfigSchema = z.object({
  /** Token ids the embedding table covers; GPT-2's BPE has 50257. */
  vocabSize: z.number().int().positive(),
  /** Longest sequence the learned position table covers (HF n_positions). */
  contextLength: z.number().int().positive(),
  nLayer: z.number().int().positive(),
  nHead: z.number().int().positive(),
  /** Residual width C; must divide by nHead. */
  nEmbd: z.number().int().positive(),
  /** GPT-2 uses 1e-5 (HF layer_norm_epsilon). */
  layerNormEpsilon: z.number().positive().default(1e-5),
  /** GPT-2 initialises weights N(0, 0.02); residual projections are further scaled by 1/sqrt(2·nLayer). */
  initStd: z.number().positive().default(0.02),
  /** Dropout probability; 0 for pretraining small models on CPU (nanoGPT default). Inference ignores it. */
  dropout: z.number().min(0).max(1).default(0),
}).refine((c) => c.nEmbd % c.nHead === 0, { message: 'nEmbd must be divisible by nHead' });
export type GptConfig = z.infer<typeof GptConfigSchema>;

const preset = (c: Omit<GptConfig, 'layerNormEpsilon' | 'initStd' | 'dropout'>): GptConfig =>
  Object.freeze(GptConfigSchema.parse(c));

export const presets = Object.freeze({
  /** Unit tests: runs a training step in milliseconds. */
  tiny: preset({ vocabSize: 256, contextLength: 64, nLayer: 2, nHead: 2, nEmbd: 32 }),
  /** CPU demo, ≈10 M parameters (7.4 M in blocks + 2.7 M embeddings): minutes per epoch on 2 cores. */
  small: preset({ vocabSize: 8192, contextLength: 256, nLayer: 6, nHead: 5, nEmbd: 320 }),
  /** GPT-2 small, 124 M parameters, the Hugging Face `gpt2` checkpoint's shape. */
  gpt2: preset({ vocabSize: 50257, contextLength: 1024, nLayer: 12, nHead: 12, nEmbd: 768 }),
});
export type PresetName = keyof typeof presets;

export const headDim = (c: GptConfig): number => c.nEmbd / c.nHead;
