/**
 * The trainer pod's configuration: what the operator's Job puts in the env
 * (training-job.builder.ts: CRUCIBLE_TRAINING_JOB, CRUCIBLE_RUN_ID, CRUCIBLE_CHECKPOINT_DIR,
 * CRUCIBLE_CHECKPOINT_SHARED_DIR, CRUCIBLE_RESUME_FROM, CRUCIBLE_RESUME, POD_NAME and the bus settings), plus the pod-side
 * overrides a TrainingRun can add through `spec.env`.
 */
import { BaseConfigSchema, parseConfig, withBusRules } from '@crucible/service-kit';
import { z } from 'zod';

export const PodConfigSchema = withBusRules(
  BaseConfigSchema.extend({
    /** The job as JSON: the service's TrainingJob or a TrainingRun's spec form (pod-job.ts). Checked by pod-job.ts, which names what is wrong. */
    CRUCIBLE_TRAINING_JOB: z.string().optional(),
    /** The run id; the job's own wins, this names the run when the job cannot be read. */
    CRUCIBLE_RUN_ID: z.string().min(1).optional(),
    /** Where checkpoints go; overrides the job's `checkpointDir` (the operator mounts the run's directory here). */
    CRUCIBLE_CHECKPOINT_DIR: z.string().min(1).optional(),
    /**
     * The checkpoint directory as the services see it (the operator's volume layout): checkpoint
     * paths published on the bus are under this root instead of the pod's (checkpoint-paths.ts).
     */
    CRUCIBLE_CHECKPOINT_SHARED_DIR: z.string().regex(/^\//, 'an absolute path').optional(),
    /** Where to look for a checkpoint to resume from; default the checkpoint directory. */
    CRUCIBLE_RESUME_FROM: z.string().min(1).optional(),
    /** `latest`: restore the newest checkpoint under CRUCIBLE_RESUME_FROM when there is one. */
    CRUCIBLE_RESUME: z.enum(['latest', 'none']).optional(),
    /** The pod's name (downward API): tells apart the failures of successive pods of one Job. */
    POD_NAME: z.string().min(1).optional(),
    /** ORT threads, overriding the job's (the service sized them for its own machine). Changing them between pods changes the last bits of the losses. */
    TRAINING_THREADS: z.coerce.number().int().positive().optional(),
    /** Overrides the job's execution provider; `auto` keeps the job's, else CUDA when a GPU is visible. */
    TRAINING_EXECUTION_PROVIDER: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
    /** Spec-form jobs only (the service's jobs carry theirs). */
    TRAINING_CHECKPOINT_EVERY: z.coerce.number().int().nonnegative().optional(),
    TRAINING_EVAL_EVERY: z.coerce.number().int().nonnegative().optional(),
    /** `training.progressed` every N steps or T ms, as the service throttles it. */
    TRAINING_PROGRESS_EVERY_STEPS: z.coerce.number().int().positive().optional(),
    TRAINING_PROGRESS_INTERVAL_MS: z.coerce.number().int().nonnegative().optional(),
  }),
);
export type PodConfig = z.output<typeof PodConfigSchema>;

export const loadPodConfig = (env: Record<string, string | undefined>): PodConfig => parseConfig(PodConfigSchema, env);
