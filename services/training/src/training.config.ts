/**
 * The training stage's settings: the `training:` block of crucible.yaml, or the YAML/JSON file
 * named by TRAINING_CONFIG_FILE. Defaults suit a CPU laptop; each says why.
 */
import { HyperParametersSchema } from '@crucible/contracts';
import { availableParallelism } from 'node:os';
import { z } from 'zod';

const PresetSchema = z.enum(['tiny', 'small', 'gpt2']);

export const RetrainPolicySchema = z
  .object({
    /** Request training when a dataset is sealed with enough new tokens. On by default: it closes the data → model loop. */
    onSeal: z.boolean().default(true),
    /** Train tokens a seal must add over the version last trained on (versions are cumulative). */
    minNewTokens: z.number().int().nonnegative().default(1),
    /** Also check every N minutes whether the newest sealed dataset has new tokens (for when onSeal is off or a trigger was skipped). */
    intervalMinutes: z.number().positive().optional(),
    /** `small` (≈10 M parameters) trains in minutes on two cores; `tiny` is for tests. */
    preset: PresetSchema.default('small'),
    hyperParameters: HyperParametersSchema.default({}),
    /** Model name the versions are registered under; default the dataset's name. */
    model: z.string().min(1).optional(),
  })
  .strict();
export type RetrainPolicy = z.output<typeof RetrainPolicySchema>;

export const TrainingSettingsSchema = z
  .object({
    /** `local` forks a worker process here; `kubernetes` creates a TrainingRun for the operator. */
    launcher: z.enum(['local', 'kubernetes']).default('local'),
    /** ONNX Runtime intra-op threads per worker. Default every core; fixed per run, because the loss sequence depends on it. */
    threads: z.number().int().positive().default(() => availableParallelism()),
    /**
     * ONNX Runtime provider of training jobs: `auto` asks for CUDA when the request wants GPUs
     * (`resources.gpus > 0`) and otherwise lets the worker decide; `cpu` overrides that on a
     * CPU-only cluster; `cuda` always asks for it.
     */
    executionProvider: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
    /** Runs training at once; more wait `queued`, oldest first. One by default: a local run already uses every core. */
    maxConcurrentRuns: z.number().int().positive().default(1),
    /** Attempts per run (the first included): a crashed worker is retried from its last checkpoint until this many have failed. */
    maxAttempts: z.number().int().positive().default(3),
    /** Steps between checkpoints: what a crash can lose. 0 = only at the end. */
    checkpointEvery: z.number().int().nonnegative().default(50),
    /** Steps between validation-loss measurements (the last step is always measured). 0 = only at the end. */
    evalEvery: z.number().int().nonnegative().default(50),
    evalBatches: z.number().int().positive().default(4),
    /** Default architecture of a request that names neither a preset nor a modelConfig. */
    defaultPreset: PresetSchema.default('small'),
    /** `training.progressed` is published every `everySteps` steps or `intervalMs`, whichever first, plus the last step and every step with a validation loss. */
    progress: z
      .object({ everySteps: z.number().int().positive().default(10), intervalMs: z.number().int().nonnegative().default(5_000) })
      .strict()
      .default({ everySteps: 10, intervalMs: 5_000 }),
    retrain: RetrainPolicySchema.default(RetrainPolicySchema.parse({})),
  })
  .strict();
export type TrainingSettings = z.output<typeof TrainingSettingsSchema>;
export type TrainingSettingsInput = z.input<typeof TrainingSettingsSchema>;

export function parseTrainingSettings(input: unknown): TrainingSettings {
  return TrainingSettingsSchema.parse(input ?? {});
}
