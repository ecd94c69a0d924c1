/**
 * Decodes CRUCIBLE_TRAINING_JOB into the `TrainingJob` run-job.ts trains. Two forms arrive
 * (services/operator training-job.builder.ts):
 * - the training service's own `TrainingJob` (its Kubernetes launcher puts it in
 *   `spec.trainingJob`; the operator rewrites its paths to the pod's mounts) — checked, then
 *   passed through unchanged, because a resumed checkpoint is matched against the config
 *   byte for byte;
 * - a hand-written TrainingRun's spec form `{runId, dataset, model, hyperParameters, method,
 *   baseModelVersionId}` — turned into a job by the service's own `jobSpec`, with the dataset
 *   read from its manifest. A base model needs the registry, which the pod does not have.
 */
import { type DatasetSealed, type Issue, TrainingRequestedSchema } from '@crucible/contracts';
import { GptConfigSchema, HyperSchema, LORA_TARGETS } from '@crucible/engine';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { sealedFromManifest } from '../datasets/sealed-from-manifest';
import type { TrainingJob } from '../launchers/launcher';
import { jobSpec } from '../runs/job-spec';
import type { TrainingSettings } from '../training.config';
import { TrainingError } from '../training.errors';
import { PodJobError } from './pod-job.errors';

/** The service's TrainingJob (launchers/launcher.ts). */
const TrainingJobSchema = z.object({
  runId: z.string().min(1),
  attempt: z.number().int().positive(),
  config: GptConfigSchema,
  manifestPath: z.string().min(1),
  hyper: HyperSchema.partial(),
  checkpointDir: z.string().min(1),
  resumeFrom: z.string().min(1).optional(),
  baseModelDir: z.string().min(1).optional(),
  lora: z.object({ rank: z.number().int().positive(), alpha: z.number().positive(), targets: z.array(z.enum(LORA_TARGETS)).optional() }).optional(),
  promptTokens: z.number().int().positive().optional(),
  executionProviders: z.array(z.enum(['cpu', 'cuda'])).min(1).optional(),
});

/** The spec form the operator writes for a TrainingRun without `spec.trainingJob` (libs/crds TrainingRunSpec). */
const SpecJobSchema = z.object({
  runId: z.string().min(1),
  dataset: z.object({ id: z.string().min(1), manifestPath: z.string().min(1) }),
  tokenizer: z.object({ id: z.string().min(1), path: z.string().optional() }).optional(),
  model: z.object({ name: z.string().optional(), preset: z.enum(['tiny', 'small', 'gpt2']).optional(), config: z.record(z.string(), z.unknown()).optional() }),
  hyperParameters: z.record(z.string(), z.unknown()).default({}),
  method: z.enum(['full', 'lora', 'prompt-tuning']).default('full'),
  baseModelVersionId: z.string().optional(),
});

export interface PodJobContext {
  readonly settings: TrainingSettings;
  /** CRUCIBLE_DATA_DIR: the default checkpoint root of a spec-form job (`<dataDir>/runs/<runId>/checkpoints`). */
  readonly dataDir: string;
  /** CRUCIBLE_CHECKPOINT_DIR: where this pod's checkpoints go (the operator's mount). */
  readonly checkpointDir?: string;
}

const issuesOf = (error: z.ZodError, prefix: string): Issue[] =>
  error.issues.map((i) => ({ path: [prefix, ...i.path.filter((p): p is string | number => typeof p !== 'symbol')], message: i.message }));

const listed = (issues: readonly Issue[]) => issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

/** `{runId}` of whatever the text holds, when it has one (to announce a failure to decode the rest). */
export function runIdOf(text: string | undefined): string | undefined {
  try {
    const runId = (JSON.parse(text ?? '') as { runId?: unknown }).runId;
    return typeof runId === 'string' && runId ? runId : undefined;
  } catch {
    return undefined;
  }
}

export function decodePodJob(text: string | undefined, context: PodJobContext): TrainingJob {
  if (!text) throw new PodJobError('invalid_training_job', 'CRUCIBLE_TRAINING_JOB is empty: the pod has nothing to train');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PodJobError('invalid_training_job', `CRUCIBLE_TRAINING_JOB is not JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new PodJobError('invalid_training_job', 'CRUCIBLE_TRAINING_JOB must be a JSON object');
  const isFullJob = 'config' in raw || 'hyper' in raw;
  return isFullJob ? fullJob(raw, context) : jobFromSpec(raw, context);
}

function fullJob(raw: object, context: PodJobContext): TrainingJob {
  const parsed = TrainingJobSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error, 'trainingJob');
    throw new PodJobError('invalid_training_job', `CRUCIBLE_TRAINING_JOB is not a valid TrainingJob: ${listed(issues)}`, issues);
  }
  // The original object, not zod's output: defaults or key order must not change the config a checkpoint is matched against.
  const job = raw as TrainingJob;
  return { ...job, ...(context.checkpointDir && { checkpointDir: context.checkpointDir }) };
}

function jobFromSpec(raw: object, context: PodJobContext): TrainingJob {
  const parsed = SpecJobSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error, 'trainingJob');
    const missing = issues.filter((i) => /expected .*, received undefined/.test(i.message)).map((i) => i.path.slice(1).join('.'));
    throw new PodJobError(
      'invalid_training_job',
      `CRUCIBLE_TRAINING_JOB is neither a TrainingJob (config, hyper, manifestPath, …) nor a TrainingRun spec: ${missing.length ? `missing ${missing.join(', ')}; ` : ''}${listed(issues)}`,
      issues,
    );
  }
  const spec = parsed.data;
  if (spec.baseModelVersionId) {
    throw new PodJobError(
      'unsupported_training_spec',
      `baseModelVersionId '${spec.baseModelVersionId}' needs the registry to find the base model's weights, which a trainer pod does not have: request the run from the training service (its TrainingRun carries spec.trainingJob with baseModelDir)`,
    );
  }
  const { checkpointEvery, evalEvery, ...contractHyper } = spec.hyperParameters;
  const request = TrainingRequestedSchema.safeParse({
    runId: spec.runId,
    datasetId: spec.dataset.id,
    ...(spec.model.preset && { preset: spec.model.preset }),
    ...(spec.model.config && { modelConfig: spec.model.config }),
    hyperParameters: contractHyper,
    method: spec.method,
  });
  if (!request.success) {
    const issues = issuesOf(request.error, 'trainingJob');
    throw new PodJobError('invalid_training_job', `the TrainingRun spec is not a valid training request: ${listed(issues)}`, issues);
  }
  const settings: TrainingSettings = {
    ...context.settings,
    ...(typeof checkpointEvery === 'number' && { checkpointEvery }),
    ...(typeof evalEvery === 'number' && { evalEvery }),
  };
  try {
    const job = jobSpec({ request: request.data, dataset: sealedInPod(spec.dataset.manifestPath), settings, dataDir: context.dataDir });
    return { ...job, checkpointDir: context.checkpointDir ?? job.checkpointDir };
  } catch (error) {
    if (error instanceof TrainingError) throw new PodJobError('invalid_training_job', `${error.code}: ${error.message}`, error.issues);
    throw error;
  }
}

/** What jobSpec needs of a dataset, read from its manifest (the pod has no catalog). */
function sealedInPod(manifestPath: string): DatasetSealed {
  if (!existsSync(manifestPath)) throw new PodJobError('invalid_training_job', `dataset manifest ${manifestPath} does not exist in the pod (is the data volume mounted?)`);
  return sealedFromManifest(manifestPath);
}
