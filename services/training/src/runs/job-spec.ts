/**
 * Turns a `training.requested` payload plus the sealed dataset into the job a launcher runs:
 * the model architecture (preset or modelConfig, vocabulary sized to the dataset's tokenizer,
 * or the base model's for fine-tuning), the engine hyper-parameters, and where checkpoints go.
 * Everything a request can get wrong is found here, before anything is launched.
 */
import type { DatasetSealed, TrainingRequested } from '@crucible/contracts';
import { type GptConfig, GptConfigSchema, HyperSchema, type HyperInput, type LoraConfig, fromHfConfig, presets } from '@crucible/engine';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainingJob } from '../launchers/launcher';
import type { TrainingSettings } from '../training.config';
import { invalidRequest } from '../training.errors';

/** LoRA rank 8, alpha 16 on the attention projection: the PEFT defaults people start from. */
export const DEFAULT_LORA: LoraConfig = { rank: 8, alpha: 16 };
/** Prompt tuning: 16 virtual tokens, a common starting size. */
export const DEFAULT_PROMPT_TOKENS = 16;
/** Run ids name directories (`<dataDir>/runs/<runId>/`): letters, digits and `._@-`, no path separators. */
const SAFE_RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,199}$/;
/** Steps of a request that does not say (the engine's default). */
export const DEFAULT_STEPS = 100;

export interface BaseModel {
  readonly versionId: string;
  readonly artifactPath: string;
  readonly tokenizerId: string;
}

export interface JobSpecInput {
  readonly request: TrainingRequested;
  readonly dataset: DatasetSealed;
  readonly settings: TrainingSettings;
  readonly dataDir: string;
  readonly base?: BaseModel;
}

export const runDir = (dataDir: string, runId: string): string => join(dataDir, 'runs', runId);
export const checkpointRoot = (dataDir: string, runId: string): string => join(runDir(dataDir, runId), 'checkpoints');

const issuesOf = (error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, prefix: string) =>
  error.issues.map((i) => ({ path: [prefix, ...i.path.filter((p): p is string | number => typeof p !== 'symbol')], message: i.message }));

function modelConfig(input: JobSpecInput): GptConfig {
  const { request, dataset, settings, base } = input;
  if (base) {
    const config = fromHfConfig(JSON.parse(readFileSync(join(base.artifactPath, 'config.json'), 'utf8')) as Record<string, unknown>);
    if (base.tokenizerId !== dataset.tokenizerId) {
      throw invalidRequest(`base model ${base.versionId} uses tokenizer ${base.tokenizerId} but dataset ${dataset.datasetId} was tokenized with ${dataset.tokenizerId}; fine-tune on a dataset sealed with the base model's tokenizer`);
    }
    return config;
  }
  const parsed = GptConfigSchema.safeParse({ ...presets[request.preset ?? settings.defaultPreset], ...request.modelConfig, vocabSize: request.modelConfig?.vocabSize ?? dataset.vocabSize });
  if (!parsed.success) throw invalidRequest(`invalid modelConfig: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, issuesOf(parsed.error, 'modelConfig'));
  if (parsed.data.vocabSize < dataset.vocabSize) {
    throw invalidRequest(`modelConfig.vocabSize ${parsed.data.vocabSize} is smaller than the vocabulary of ${dataset.datasetId} (${dataset.vocabSize})`);
  }
  return parsed.data;
}

function engineHyper(input: JobSpecInput, config: GptConfig): HyperInput {
  const hp = input.request.hyperParameters;
  const { settings } = input;
  const maxSteps = hp.steps ?? DEFAULT_STEPS;
  const lr = hp.learningRate ?? 6e-4;
  const hyper: HyperInput = {
    maxSteps,
    batchSize: hp.batchSize ?? 8,
    seqLen: hp.sequenceLength ?? Math.min(64, config.contextLength),
    lr,
    // nanoGPT decays to a tenth of the peak; a fixed floor above a small peak would make the "decay" a climb.
    minLr: lr / 10,
    warmupSteps: Math.min(hp.warmupSteps ?? 10, maxSteps),
    weightDecay: hp.weightDecay ?? 0.1,
    gradClip: hp.gradClip ?? 1,
    gradAccumSteps: hp.gradAccumulation ?? 1,
    seed: hp.seed ?? 1337,
    threads: settings.threads,
    checkpointEvery: settings.checkpointEvery,
    // Always measured at the last step (the trainer evaluates when step === maxSteps and evalEvery > 0).
    evalEvery: settings.evalEvery === 0 ? maxSteps : Math.min(settings.evalEvery, maxSteps),
    evalBatches: settings.evalBatches,
  };
  const parsed = HyperSchema.safeParse(hyper);
  if (!parsed.success) throw invalidRequest(`invalid hyperParameters: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if (parsed.data.seqLen > config.contextLength) {
    throw invalidRequest(`hyperParameters.sequenceLength ${parsed.data.seqLen} exceeds the model's context length ${config.contextLength}`);
  }
  return hyper;
}

/**
 * Where the job's math runs: a request that asks for GPUs gets CUDA unless the settings pin
 * the CPU (a CPU-only cluster); without GPUs the worker decides (undefined).
 */
export function executionProvidersFor(request: TrainingRequested, setting: TrainingSettings['executionProvider']): TrainingJob['executionProviders'] {
  if (setting === 'cpu') return ['cpu'];
  if (setting === 'cuda' || request.resources.gpus > 0) return ['cuda'];
  return undefined;
}

/** The job of attempt `attempt`; `resumeFrom` when it continues from a checkpoint. */
export function jobSpec(input: JobSpecInput, attempt = 1, resumeFrom?: string): TrainingJob {
  const { request, dataset, base } = input;
  if (!SAFE_RUN_ID.test(request.runId)) throw invalidRequest(`runId '${request.runId}' must match ${SAFE_RUN_ID.source}`);
  if (request.method !== 'full' && !base) {
    throw invalidRequest(`method '${request.method}' adapts an existing model: baseModelVersionId is required`);
  }
  const config = modelConfig(input);
  const executionProviders = executionProvidersFor(request, input.settings.executionProvider);
  return {
    runId: request.runId,
    attempt,
    config,
    manifestPath: dataset.manifestPath,
    hyper: engineHyper(input, config),
    checkpointDir: checkpointRoot(input.dataDir, request.runId),
    ...(resumeFrom && { resumeFrom }),
    ...(base && { baseModelDir: base.artifactPath }),
    ...(request.method === 'lora' && { lora: DEFAULT_LORA }),
    ...(request.method === 'prompt-tuning' && { promptTokens: DEFAULT_PROMPT_TOKENS }),
    ...(executionProviders && { executionProviders }),
  };
}
