/**
 * `crucible train --data <dir>`: trains on a sealed dataset right here, with the engine's
 * Trainer, and writes a model version directory that `crucible generate`, `crucible export`
 * and every later stage read. Checkpoints go beside it, so `--resume` continues the exact
 * loss sequence after an interruption.
 */
import { type ExecutionProvider, type PresetName, Trainer, countParams, presets } from '@crucible/engine';
import { writeModelArtifact } from '@crucible/model-artifact';
import { readManifest } from '@crucible/shards';
import { loadTokenizer } from '@crucible/tokenizer';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { progressLine } from '../console/progress';
import { formatTrainProgress } from './train-progress';

export interface LocalTrainingOptions {
  readonly data: string;
  readonly preset: PresetName;
  readonly steps: number;
  readonly batchSize: number;
  readonly seqLen?: number;
  readonly lr: number;
  readonly seed: number;
  readonly out?: string;
  readonly name?: string;
  readonly resume: boolean;
  readonly device: ExecutionProvider;
  readonly threads?: number;
  readonly checkpointEvery?: number;
}

/** A dataset directory (`…/datasets/sotu@1`) or its manifest file. */
export function manifestPathOf(data: string): string {
  const path = resolve(data);
  if (!existsSync(path)) throw new Error(`--data ${data}: no such file or directory`);
  const manifest = statSync(path).isDirectory() ? join(path, 'manifest.json') : path;
  if (!existsSync(manifest)) throw new Error(`--data ${data}: no manifest.json (seal the dataset first: crucible up, or POST /v1/datasets/<name>/seal)`);
  return manifest;
}

export async function trainLocally(options: LocalTrainingOptions, out: NodeJS.WriteStream = process.stdout): Promise<string> {
  const manifestPath = manifestPathOf(options.data);
  const manifest = readManifest(manifestPath);
  const preset = presets[options.preset];
  // The dataset's tokenizer decides the vocabulary; the preset decides the shape.
  const config = { ...preset, vocabSize: manifest.tokenizer.vocabSize };
  const seqLen = options.seqLen ?? Math.min(config.contextLength, 256);
  const model = options.name ?? manifest.dataset;
  const runDir = resolve(options.out ?? join('runs', `${manifest.datasetId.replace(/[^\w.-]+/g, '-')}-${options.preset}`));
  const checkpointDir = join(runDir, 'checkpoints');
  const progress = progressLine();
  out.write(`training ${options.preset} (${(countParams(config) / 1e6).toFixed(2)} M parameters) on ${manifest.datasetId}: ${manifest.totals.tokens.train.toLocaleString('en-US')} train tokens, ${options.steps} steps × ${options.batchSize} × ${seqLen} tokens, ${options.device}\n`);
  const trainer = new Trainer({
    config,
    manifestPath,
    checkpointDir,
    log: false,
    executionProviders: [options.device],
    hyper: {
      maxSteps: options.steps, batchSize: options.batchSize, seqLen, lr: options.lr, minLr: options.lr / 10,
      warmupSteps: Math.min(100, Math.ceil(options.steps / 10)), seed: options.seed,
      checkpointEvery: options.checkpointEvery ?? Math.max(10, Math.ceil(options.steps / 10)),
      evalEvery: Math.max(1, Math.ceil(options.steps / 5)), evalBatches: 4,
      ...(options.threads !== undefined && { threads: options.threads }),
    },
    onProgress: (p) => progress.update(formatTrainProgress(p)),
  });
  const resumeFrom = options.resume && existsSync(join(checkpointDir, 'latest')) ? checkpointDir : undefined;
  if (resumeFrom) out.write(`resuming from ${join(checkpointDir, readFileSync(join(checkpointDir, 'latest'), 'utf8').trim())}\n`);
  const result = resumeFrom ? await trainer.resume(resumeFrom) : await trainer.run();
  const finalLoss = result.losses[result.losses.length - 1];
  progress.done(`trained ${result.step} steps: loss ${finalLoss?.toFixed(4)}${result.valLoss !== undefined ? `, validation loss ${result.valLoss.toFixed(4)}` : ''}`);

  const tokenizerPath = resolve(dirname(manifestPath), manifest.tokenizer.path);
  const tokenizer = await loadTokenizer(tokenizerPath, { name: manifest.tokenizer.id });
  const modelDir = join(runDir, 'model');
  await writeModelArtifact(modelDir, {
    config, weights: trainer.weights(), tokenizer,
    lineage: {
      versionId: `${model}@local`, model, runId: `local-${basename(runDir)}`, datasetId: manifest.datasetId,
      manifestPath, manifestSha256: `sha256:${createHash('sha256').update(readFileSync(manifestPath)).digest('hex')}`,
      tokenizerId: manifest.tokenizer.id, codeVersion: 'cli',
      hyperParameters: { preset: options.preset, ...trainer.hyper },
      parameters: countParams(config),
      ...(finalLoss !== undefined && { finalLoss }), ...(result.valLoss !== undefined && { validationLoss: result.valLoss }),
    },
  });
  await trainer.close();
  out.write(`model written to ${modelDir}\n  try: crucible generate --model ${modelDir} "Fellow citizens"\n`);
  return modelDir;
}
