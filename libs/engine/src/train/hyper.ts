/**
 * Training hyper-parameters with a reason on each default (nanoGPT / GPT-3 paper values
 * scaled for small CPU runs), validated by one zod schema.
 */
import { z } from 'zod';

export const HyperSchema = z.object({
  /** Sequences per micro-batch. */
  batchSize: z.number().int().positive().default(8),
  /** Tokens per sequence; ≤ contextLength. */
  seqLen: z.number().int().positive().default(64),
  /** Micro-batches whose gradients are summed (averaged) before one optimizer step. */
  gradAccumSteps: z.number().int().positive().default(1),
  /** Optimizer steps to run. */
  maxSteps: z.number().int().positive().default(100),
  /** Peak learning rate; 6e-4 is GPT-3 small's. */
  lr: z.number().positive().default(6e-4),
  /** The warmup starts here and rises linearly to `lr` (0 = from zero, as nanoGPT). */
  warmupStartLr: z.number().min(0).default(0),
  warmupSteps: z.number().int().min(0).default(10),
  /** Cosine decay ends at this learning rate (nanoGPT: lr / 10). */
  minLr: z.number().min(0).default(6e-5),
  /** Cosine decay horizon; defaults to maxSteps. */
  decaySteps: z.number().int().positive().optional(),
  beta1: z.number().min(0).max(1).default(0.9),
  /** 0.95 rather than 0.999: more stable for transformers at large batch (GPT-3). */
  beta2: z.number().min(0).max(1).default(0.95),
  eps: z.number().positive().default(1e-8),
  /** Decoupled weight decay (AdamW), applied to 2-D tensors only (see gpt.params.ts). */
  weightDecay: z.number().min(0).default(0.1),
  /** Global-norm gradient clipping threshold (GPT-3: 1.0); 0 disables. */
  gradClip: z.number().min(0).default(1),
  /** Optional per-element gradient value clipping, applied before the norm clip; 0 disables. */
  gradValueClip: z.number().min(0).default(0),
  /** Passes over the training windows; training stops at maxSteps or after this many epochs. */
  epochs: z.number().int().positive().default(1_000_000),
  /** Window order within an epoch: shuffled (seeded), sequential, or a length curriculum (short documents first). */
  order: z.enum(['shuffle', 'sequential', 'curriculum']).default('shuffle'),
  /** Relative sampling weight per manifest/shard group (data mixture); equal when absent. */
  mixture: z.array(z.number().positive()).optional(),
  seed: z.number().int().default(1337),
  /** Intra-op threads for ORT; fixed for a deterministic loss sequence. */
  threads: z.number().int().positive().default(2),
  /** Optimizer steps between checkpoints (0 = only at the end). */
  checkpointEvery: z.number().int().min(0).default(0),
  /** Optimizer steps between validation-loss evaluations (0 = never). */
  evalEvery: z.number().int().min(0).default(0),
  /** Validation batches per evaluation. */
  evalBatches: z.number().int().positive().default(8),
});
export type Hyper = z.infer<typeof HyperSchema>;
export type HyperInput = z.input<typeof HyperSchema>;

/** Linear warmup from warmupStartLr to lr, then cosine decay to minLr (nanoGPT get_lr). */
export function learningRate(h: Hyper, step: number): number {
  if (step < h.warmupSteps) return h.warmupStartLr + ((h.lr - h.warmupStartLr) * (step + 1)) / h.warmupSteps;
  const horizon = h.decaySteps ?? h.maxSteps;
  if (step >= horizon) return h.minLr;
  const ratio = (step - h.warmupSteps) / Math.max(1, horizon - h.warmupSteps);
  return h.minLr + 0.5 * (1 + Math.cos(Math.PI * ratio)) * (h.lr - h.minLr);
}
