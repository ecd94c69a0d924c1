/**
 * What the evaluation stage measures and how the gate decides: the `evaluation:` block of
 * crucible.yaml or EVALUATION_CONFIG_FILE. Every field has a default with its reason.
 */
import { ValidationError } from '@crucible/contracts';
import { z } from 'zod';

export const GateSchema = z
  .object({
    /** Held-out perplexity at most this; unset = no absolute bound (perplexity depends on the tokenizer). */
    maxPerplexity: z.number().positive().optional(),
    /** Held-out bits per byte at most this; comparable across tokenizers. */
    maxBitsPerByte: z.number().positive().optional(),
    /** Every task that reports BLEU must reach this (0–100, sacrebleu scale). */
    minBleu: z.number().min(0).optional(),
    /** Every task that reports chrF must reach this (0–100). */
    minChrf: z.number().min(0).optional(),
    /** Every task that reports ROUGE-L F-measure must reach this (0–1). */
    minRougeL: z.number().min(0).max(1).optional(),
    /** Every task that reports exact match must reach this (0–1). */
    minExactMatch: z.number().min(0).max(1).optional(),
    /** Per-task minimums, e.g. `{ sotu-cloze: { exact_match: 0.2 } }`; metric names as in the report. */
    taskMinimums: z.record(z.string(), z.record(z.string(), z.number())).default({}),
    /**
     * Relative regression allowed against the champion's stored evaluation: 2 % absorbs the
     * noise of a re-run on a different machine while catching a genuinely worse model.
     */
    maxRegression: z.number().min(0).max(1).default(0.02),
    /**
     * Metrics compared with the champion. Held-out perplexity and bits-per-byte are stable; task
     * scores of small models are noisy, so they are opt-in (e.g. `sotu-continuation.chrf`).
     */
    regressionMetrics: z.array(z.string().min(1)).default(['perplexity', 'bitsPerByte']),
    /** The alias whose version a new model must not regress against. */
    championAlias: z.string().min(1).default('champion'),
    /**
     * When the challenger was trained on another dataset version, score the champion's held-out
     * perplexity on the challenger's validation split too (same tokenizer only), so both are
     * measured on the same text; costs one more held-out pass.
     */
    remeasureChampion: z.boolean().default(true),
  })
  .strict();
export type GateConfig = z.output<typeof GateSchema>;

export const PerplexitySettingsSchema = z
  .object({
    /**
     * Held-out tokens scored at most. 32 768 (e.g. 128 windows of 256 for the `small` preset) is
     * enough for a stable estimate and bounds the time: measured 300–350 tokens/s for `small` on
     * the 2-core dev machine under heavy load, so about 1.5 min there, much less on idle cores.
     */
    maxTokens: z.number().int().positive().default(32_768),
    /** Windows per ONNX Runtime run. */
    batchSize: z.number().int().positive().default(8),
    /** Window length; unset = the model's context length. */
    seqLen: z.number().int().positive().optional(),
  })
  .strict();

export const EvaluationConfigSchema = z
  .object({
    gate: GateSchema.default(GateSchema.parse({})),
    perplexity: PerplexitySettingsSchema.default(PerplexitySettingsSchema.parse({})),
    /** Folder of task files; unset = the bundled tasks (services/evaluation/tasks). */
    tasksDir: z.string().min(1).optional(),
    /** Examples per generation batch (one prefill, then one decode step per token for the batch). */
    generationBatchSize: z.number().int().positive().default(8),
    /** How often progress is logged while evaluating. */
    progressIntervalMs: z.number().int().positive().default(2_000),
  })
  .strict();
export type EvaluationConfig = z.output<typeof EvaluationConfigSchema>;
export type EvaluationConfigInput = z.input<typeof EvaluationConfigSchema>;

export function parseEvaluationConfig(input: unknown): EvaluationConfig {
  const parsed = EvaluationConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.filter((p): p is string | number => typeof p !== 'symbol'), message: i.message }));
    throw new ValidationError(`invalid evaluation config: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, issues);
  }
  return parsed.data;
}
