/** Payloads of the training topics: a run is requested, progresses, checkpoints and ends. */
import { z } from 'zod';

export const HyperParametersSchema = z
  .object({
    steps: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    sequenceLength: z.number().int().positive(),
    learningRate: z.number().positive(),
    warmupSteps: z.number().int().nonnegative().default(0),
    weightDecay: z.number().nonnegative().default(0.1),
    gradClip: z.number().positive().default(1),
    gradAccumulation: z.number().int().positive().default(1),
    seed: z.number().int().default(1337),
  })
  .partial()
  .strict();

export const ResourcesSchema = z
  .object({
    gpus: z.number().int().nonnegative().default(0),
    cpu: z.string().optional(),
    memory: z.string().optional(),
  })
  .strict();

export const TrainingRequestedSchema = z
  .object({
    runId: z.string().min(1),
    datasetId: z.string().min(1),
    preset: z.enum(['tiny', 'small', 'gpt2']).optional(),
    modelConfig: z.record(z.string(), z.unknown()).optional(),
    hyperParameters: HyperParametersSchema.default({}),
    resources: ResourcesSchema.default({ gpus: 0 }),
    /** Fine-tune from an existing model version instead of from scratch. */
    baseModelVersionId: z.string().optional(),
    method: z.enum(['full', 'lora', 'prompt-tuning']).default('full'),
    /** The model name the trained version is registered under (`<model>@<n>`); default: the dataset's name. */
    model: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/).optional(),
  })
  .strict();
export type TrainingRequested = z.infer<typeof TrainingRequestedSchema>;

export const TrainingProgressedSchema = z
  .object({
    runId: z.string(),
    step: z.number().int().nonnegative(),
    totalSteps: z.number().int().positive(),
    loss: z.number(),
    learningRate: z.number(),
    gradNorm: z.number().nonnegative(),
    tokensPerSecond: z.number().nonnegative(),
    mfu: z.number().nonnegative().optional(),
    validationLoss: z.number().optional(),
  })
  .strict();
export type TrainingProgressed = z.infer<typeof TrainingProgressedSchema>;

export const TrainingCheckpointedSchema = z
  .object({
    runId: z.string(),
    step: z.number().int().nonnegative(),
    path: z.string(),
    sha256: z.string(),
    /** The run's last checkpoint: training finished and this is what the model version is made from. */
    final: z.boolean().optional(),
    /** Training loss of the last step (final checkpoints). */
    loss: z.number().optional(),
    /** Validation loss measured at this step, when it was. */
    validationLoss: z.number().optional(),
  })
  .strict();
export type TrainingCheckpointed = z.infer<typeof TrainingCheckpointedSchema>;

export const TrainingFailedSchema = z
  .object({
    runId: z.string(),
    reason: z.string(),
    lastCheckpoint: z.string().optional(),
    retriable: z.boolean(),
    /** Which attempt failed (1-based); a retriable failure is retried from lastCheckpoint as attempt + 1. */
    attempt: z.number().int().positive().optional(),
  })
  .strict();
export type TrainingFailed = z.infer<typeof TrainingFailedSchema>;

export const TrainingCancellationRequestedSchema = z
  .object({ runId: z.string(), reason: z.string().default('requested') })
  .strict();
export type TrainingCancellationRequested = z.infer<typeof TrainingCancellationRequestedSchema>;
