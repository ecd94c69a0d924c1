/**
 * Measures one model version, without deciding anything: loads the artifact, scores the
 * held-out split of its dataset (perplexity, bits-per-byte) and runs every task. Progress is
 * reported as it goes; the model's ONNX sessions are released at the end.
 */
import { manifestSplits } from '@crucible/engine';
import { heldOutPerplexity } from '@crucible/eval-metrics';
import { TextModel } from '@crucible/model-artifact';
import { existsSync } from 'node:fs';
import type { EvaluationConfig } from '../evaluation.config';
import { EvaluationError } from '../evaluation.errors';
import { runTask, type TaskResult } from '../tasks/run-task';
import type { EvaluationTask } from '../tasks/task-file';
import type { HeldOutSection } from './evaluation-report';

export type EvaluationProgress =
  | { readonly phase: 'load'; readonly versionId: string }
  | { readonly phase: 'held-out'; readonly versionId: string; readonly windows: number; readonly totalWindows: number }
  | { readonly phase: 'task'; readonly versionId: string; readonly task: string; readonly examples: number; readonly totalExamples: number };

export interface Measurement {
  readonly metrics: Record<string, number>;
  readonly heldOut: HeldOutSection;
  readonly tasks: readonly TaskResult[];
  readonly tokenizerId: string;
  readonly datasetId: string;
  readonly manifestPath: string | undefined;
  readonly seconds: number;
}

async function heldOut(model: TextModel, manifestPath: string | undefined, config: EvaluationConfig, onProgress: (p: EvaluationProgress) => void): Promise<HeldOutSection> {
  if (!manifestPath) return { skipped: 'crucible.json names no dataset manifest' };
  if (!existsSync(manifestPath)) return { skipped: `dataset manifest ${manifestPath} does not exist` };
  const { validation } = manifestSplits(manifestPath);
  if (validation.length === 0) return { skipped: `dataset manifest ${manifestPath} has no validation shards` };
  const result = await heldOutPerplexity(model.config, model.weights, validation, model.tokenizer, {
    maxTokens: config.perplexity.maxTokens,
    batchSize: config.perplexity.batchSize,
    ...(config.perplexity.seqLen !== undefined && { seqLen: config.perplexity.seqLen }),
    onProgress: (p) => onProgress({ phase: 'held-out', versionId: model.versionId, windows: p.windows, totalWindows: p.totalWindows }),
  });
  return { ...result, manifestPath, shards: validation.length };
}

export async function measureModel(
  artifactDir: string,
  tasks: readonly EvaluationTask[],
  config: EvaluationConfig,
  onProgress: (p: EvaluationProgress) => void,
): Promise<Measurement> {
  const started = performance.now();
  if (!existsSync(artifactDir)) throw new EvaluationError('artifact_unusable', `model artifact directory ${artifactDir} does not exist`);
  const model = await TextModel.load(artifactDir);
  try {
    onProgress({ phase: 'load', versionId: model.versionId });
    const held = await heldOut(model, model.lineage.manifestPath, config, onProgress);
    const metrics: Record<string, number> = {};
    if (!('skipped' in held)) Object.assign(metrics, { perplexity: held.perplexity, bitsPerByte: held.bitsPerByte, heldOutTokens: held.tokens });
    const results: TaskResult[] = [];
    for (const task of tasks) {
      const result = await runTask(model, task, {
        batchSize: config.generationBatchSize,
        onExamples: (done, total) => onProgress({ phase: 'task', versionId: model.versionId, task: task.name, examples: done, totalExamples: total }),
      });
      results.push(result);
      for (const [name, value] of Object.entries(result.metrics)) metrics[`${task.name}.${name}`] = value;
    }
    const { tokenizerId, datasetId, manifestPath } = model.lineage;
    return { metrics, heldOut: held, tasks: results, tokenizerId, datasetId, manifestPath, seconds: (performance.now() - started) / 1000 };
  } finally {
    await model.close();
  }
}

/**
 * Another version's held-out perplexity and bits-per-byte on `manifestPath`'s validation split:
 * how the champion is compared fairly with a challenger trained on a newer dataset version.
 */
export async function measureHeldOutOn(
  artifactDir: string,
  manifestPath: string,
  config: EvaluationConfig,
  onProgress: (p: EvaluationProgress) => void,
): Promise<HeldOutSection> {
  if (!existsSync(artifactDir)) return { skipped: `model artifact directory ${artifactDir} does not exist` };
  const model = await TextModel.load(artifactDir);
  try {
    return await heldOut(model, manifestPath, config, onProgress);
  } finally {
    await model.close();
  }
}
