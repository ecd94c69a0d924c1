/**
 * The training service's configuration: the only file that reads `process.env`. Settings come
 * from TRAINING_CONFIG_FILE (the `training:` block format, training.config.ts) and the
 * TRAINING_* variables below override single fields of it.
 */
import { BaseConfigSchema, parseConfig, withBusRules } from '@crucible/service-kit';
import { z } from 'zod';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const json = z.string().transform((s, ctx) => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected JSON' });
    return z.NEVER;
  }
});

export const TrainingServiceConfigSchema = withBusRules(
  BaseConfigSchema.extend({
    /** YAML or JSON with the training settings (launcher, threads, retrain, …); defaults otherwise. */
    TRAINING_CONFIG_FILE: z.string().optional(),
    /** Where runs, model versions and reports are recorded: `sqlite:<path>` or `postgres://…`; default `sqlite:<CRUCIBLE_DATA_DIR>/registry.db`. */
    CRUCIBLE_REGISTRY_URL: z.string().min(1).optional(),
    /** `local` (a worker process per run) or `kubernetes` (a TrainingRun resource per run, for the operator). */
    TRAINING_LAUNCHER: z.enum(['local', 'kubernetes']).optional(),
    /** ORT threads per local worker; default every core. */
    TRAINING_THREADS: z.coerce.number().int().positive().optional(),
    /** ONNX Runtime provider of jobs: auto (CUDA when the request has GPUs) | cpu | cuda; default auto. */
    TRAINING_EXECUTION_PROVIDER: z.enum(['auto', 'cpu', 'cuda']).optional(),
    /** Runs training at once (more wait `queued`); default 1. */
    TRAINING_MAX_CONCURRENT_RUNS: z.coerce.number().int().positive().optional(),
    /** Attempts per run before it is `failed`; default 3. */
    TRAINING_MAX_ATTEMPTS: z.coerce.number().int().positive().optional(),
    /** Steps between checkpoints; default 50. */
    TRAINING_CHECKPOINT_EVERY: z.coerce.number().int().nonnegative().optional(),
    /** Steps between validation-loss measurements; default 50. */
    TRAINING_EVAL_EVERY: z.coerce.number().int().nonnegative().optional(),
    /** `training.progressed` every N steps…; default 10. */
    TRAINING_PROGRESS_EVERY_STEPS: z.coerce.number().int().positive().optional(),
    /** …or every T milliseconds, whichever comes first; default 5000. */
    TRAINING_PROGRESS_INTERVAL_MS: z.coerce.number().int().nonnegative().optional(),
    /** Retrain when a dataset is sealed with enough new tokens; default true. */
    TRAINING_RETRAIN_ON_SEAL: bool.optional(),
    /** New train tokens a seal must add over the last trained version; default 1. */
    TRAINING_RETRAIN_MIN_NEW_TOKENS: z.coerce.number().int().nonnegative().optional(),
    /** Also check the newest sealed dataset every N minutes; unset = no timer. */
    TRAINING_RETRAIN_INTERVAL_MINUTES: z.coerce.number().positive().optional(),
    /** Architecture of retraining runs: tiny | small | gpt2; default small. */
    TRAINING_RETRAIN_PRESET: z.enum(['tiny', 'small', 'gpt2']).optional(),
    /** Hyper-parameters of retraining runs as JSON, e.g. `{"steps":200,"batchSize":8}`. */
    TRAINING_RETRAIN_HYPER_PARAMETERS: json.optional(),
    /** Model name of retrained versions; default the dataset's name. */
    TRAINING_RETRAIN_MODEL: z.string().min(1).optional(),
    /** Prefix of the service's consumer groups (`<group>`, `<group>.datasets`, `<group>.cancel`, `<group>.completion`). */
    TRAINING_CONSUMER_GROUP: z.string().min(1).default('crucible.training'),
    HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8084),
  }),
);
export type TrainingServiceConfig = z.output<typeof TrainingServiceConfigSchema>;

export const loadTrainingServiceConfig = (env: Record<string, string | undefined> = process.env) =>
  parseConfig(TrainingServiceConfigSchema, env);

const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The env overrides as a partial settings object, merged over the file's `training` settings. */
export function settingsOverrides(config: TrainingServiceConfig, fromFile: Record<string, unknown>): Record<string, unknown> {
  const fileProgress = (fromFile.progress ?? {}) as Record<string, unknown>;
  const fileRetrain = (fromFile.retrain ?? {}) as Record<string, unknown>;
  return {
    ...fromFile,
    ...defined({
      launcher: config.TRAINING_LAUNCHER,
      threads: config.TRAINING_THREADS,
      executionProvider: config.TRAINING_EXECUTION_PROVIDER,
      maxAttempts: config.TRAINING_MAX_ATTEMPTS,
      maxConcurrentRuns: config.TRAINING_MAX_CONCURRENT_RUNS,
      checkpointEvery: config.TRAINING_CHECKPOINT_EVERY,
      evalEvery: config.TRAINING_EVAL_EVERY,
    }),
    progress: { ...fileProgress, ...defined({ everySteps: config.TRAINING_PROGRESS_EVERY_STEPS, intervalMs: config.TRAINING_PROGRESS_INTERVAL_MS }) },
    retrain: {
      ...fileRetrain,
      ...defined({
        onSeal: config.TRAINING_RETRAIN_ON_SEAL,
        minNewTokens: config.TRAINING_RETRAIN_MIN_NEW_TOKENS,
        intervalMinutes: config.TRAINING_RETRAIN_INTERVAL_MINUTES,
        preset: config.TRAINING_RETRAIN_PRESET,
        hyperParameters: config.TRAINING_RETRAIN_HYPER_PARAMETERS,
        model: config.TRAINING_RETRAIN_MODEL,
      }),
    },
  };
}
