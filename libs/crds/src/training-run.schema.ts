/**
 * TrainingRun (crucible.dev/v1alpha1): one training run as a Kubernetes resource, in the
 * manner of Kubeflow's TrainJob. Spec = what to train and on what; status = what the
 * operator observed on the Job, its pods and (when configured) the training topics.
 */
import { z } from 'zod';
import { ConditionSchema, EnvFromSourceSchema, EnvVarSchema, FileMountSchema, Quantity, TolerationSchema, type ObjectMeta } from './common.schema';

const HyperParameters = z.object({
  steps: z.number().int().positive().optional(),
  batchSize: z.number().int().positive().optional(),
  sequenceLength: z.number().int().positive().optional(),
  learningRate: z.number().positive().optional(),
  warmupSteps: z.number().int().min(0).optional(),
  weightDecay: z.number().min(0).optional(),
  gradClip: z.number().positive().optional(),
  gradAccumulation: z.number().int().positive().optional(),
  seed: z.number().int().optional(),
  checkpointEvery: z.number().int().positive().optional(),
  evalEvery: z.number().int().positive().optional(),
});

const VolumeClaim = z.object({
  claimName: z.string().min(1),
  /** Where the claim is mounted in the trainer container. */
  mountPath: z.string().optional(),
  /** Sub-directory of the claim to mount (e.g. one per run for checkpoints). */
  subPath: z.string().optional(),
  /**
   * Where the services that read the run's files (training, evaluation) mount this claim.
   * The trainer pod reports checkpoint paths as they see them (`<sharedMountPath>/<subPath>/…`),
   * and the operator maps paths under it in the training job to the pod's mount.
   */
  sharedMountPath: z.string().regex(/^\//).optional(),
});

export const TrainingRunSpecSchema = z.object({
  /** The training service's run id; defaults to the resource name. */
  runId: z.string().min(1).optional(),
  dataset: z.object({ id: z.string().min(1), manifestPath: z.string().min(1) }),
  tokenizer: z.object({ id: z.string().min(1), path: z.string().optional() }).optional(),
  model: z.object({
    /** Model name the trained version is registered under (`<name>@<n>`). */
    name: z.string().optional(),
    preset: z.enum(['tiny', 'small', 'gpt2']).optional(),
    /** Engine GptConfig fields overriding the preset. */
    config: z.record(z.string(), z.unknown()).optional(),
  }),
  hyperParameters: HyperParameters.optional(),
  /**
   * The training service's TrainingJob (engine config and hyper-parameters), passed verbatim to
   * the trainer as CRUCIBLE_TRAINING_JOB; its paths are rewritten to the pod's mounts.
   */
  trainingJob: z.record(z.string(), z.unknown()).optional(),
  method: z.enum(['full', 'lora', 'prompt-tuning']).optional(),
  baseModelVersionId: z.string().optional(),
  resources: z
    .object({ gpus: z.number().int().min(0).optional(), cpu: Quantity.optional(), memory: Quantity.optional() })
    .optional(),
  /** Trainer image; the operator's default (chart `trainerImage`) when absent. */
  image: z.string().optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  /** Trainer variables, after the operator's (and the chart's) defaults; `valueFrom` references Secrets/ConfigMaps. */
  env: z.array(EnvVarSchema).optional(),
  envFrom: z.array(EnvFromSourceSchema).optional(),
  /** Secrets/ConfigMaps mounted read-only as files, added to the chart's defaults. */
  mounts: z.array(FileMountSchema).optional(),
  nodeSelector: z.record(z.string(), z.string()).optional(),
  tolerations: z.array(TolerationSchema).optional(),
  volumes: z.object({ data: VolumeClaim.optional(), checkpoints: VolumeClaim.optional() }).optional(),
  serviceAccountName: z.string().optional(),
  /** Pod failures retried by the Job; each retry resumes from the last checkpoint. */
  backoffLimit: z.number().int().min(0).optional(),
  activeDeadlineSeconds: z.number().int().positive().optional(),
  ttlSecondsAfterFinished: z.number().int().min(0).optional(),
  /** true cancels the run: the Job is suspended (its pods deleted) and the run ends Cancelled. */
  suspend: z.boolean().optional(),
});
export type TrainingRunSpec = z.infer<typeof TrainingRunSpecSchema>;

export const TRAINING_RUN_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Cancelled'] as const;
export type TrainingRunPhase = (typeof TRAINING_RUN_PHASES)[number];

export const TrainingRunStatusSchema = z.object({
  phase: z.enum(TRAINING_RUN_PHASES).optional(),
  observedGeneration: z.number().int().min(0).optional(),
  conditions: z.array(ConditionSchema).optional(),
  progress: z
    .object({ step: z.number().int().min(0), totalSteps: z.number().int().min(0), loss: z.number().optional() })
    .optional(),
  lastCheckpoint: z
    .object({ step: z.number().int().min(0), path: z.string(), sha256: z.string().optional() })
    .optional(),
  /** Pods started for the run so far (1 = first try). */
  attempts: z.number().int().min(0).optional(),
  jobName: z.string().optional(),
  modelVersionId: z.string().optional(),
  startTime: z.string().optional(),
  completionTime: z.string().optional(),
  message: z.string().optional(),
});
export type TrainingRunStatus = z.infer<typeof TrainingRunStatusSchema>;

export interface TrainingRun {
  apiVersion: string;
  kind: 'TrainingRun';
  metadata: ObjectMeta;
  spec: TrainingRunSpec;
  status?: TrainingRunStatus;
}
