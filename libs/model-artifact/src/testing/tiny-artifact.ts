/**
 * A complete, small model version for tests of every stage after training: a BPE tokenizer
 * trained on a few English documents, a sealed dataset (train + validation shards and a
 * manifest) of those documents, and a `tiny` GPT — freshly initialised or trained a few
 * steps — written as a real artifact directory. Deterministic for a given seed.
 */
import { Trainer, initWeights, presets } from '@crucible/engine';
import { MANIFEST_FORMAT, MANIFEST_VERSION, packShard, writeShardFile } from '@crucible/shards';
import { saveTokenizer, trainBpe } from '@crucible/tokenizer';
import { englishDocuments } from '@crucible/tokenizer/testing';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeModelArtifact } from '../write-artifact';

export interface TinyArtifactOptions {
  readonly seed?: number;
  /** Optimizer steps on the tiny dataset; 0 keeps the random initialisation. Default 0. */
  readonly trainSteps?: number;
  /** Default `tiny`. */
  readonly model?: string;
  /** Default 1: the version is `<model>@<n>`. */
  readonly n?: number;
  readonly vocabSize?: number;
}

const sha256 = (path: string): string => `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;

/** Writes `<root>/dataset/…` and `<root>/models/<model>/<n>/`; returns the model directory. */
export async function makeTinyArtifact(root: string, options: TinyArtifactOptions = {}): Promise<string> {
  const seed = options.seed ?? 1;
  const model = options.model ?? 'tiny';
  const n = options.n ?? 1;
  const docs = englishDocuments().slice(0, 24).map((d) => d.text);
  const tokenizer = await trainBpe(docs, { vocabSize: options.vocabSize ?? 384, name: 'tiny-bpe' });
  const eot = tokenizer.eotToken!;

  const datasetDir = join(root, 'dataset');
  mkdirSync(datasetDir, { recursive: true });
  const tokenizerPath = join(datasetDir, 'tokenizer.json');
  await saveTokenizer(tokenizer, tokenizerPath, 'hf-json');
  const encoded = docs.map((d) => tokenizer.encodeOrdinary(d));
  const splits = { train: encoded.filter((_, i) => i % 6 !== 5), validation: encoded.filter((_, i) => i % 6 === 5) };
  const shards = (['train', 'validation'] as const).map((split) => {
    const path = join(datasetDir, `${split}-00000.bin`);
    writeShardFile(path, packShard(splits[split], 'uint16', eot));
    const tokens = splits[split].reduce((k, d) => k + d.length + 1, 0);
    return { split, path: `${split}-00000.bin`, tokens, documents: splits[split].length, sha256: sha256(path) };
  });
  const manifestPath = join(datasetDir, 'manifest.json');
  writeFileSync(manifestPath, JSON.stringify({
    format: MANIFEST_FORMAT, formatVersion: MANIFEST_VERSION, dataset: 'tiny', datasetId: 'tiny@1', createdAt: '2026-01-01T00:00:00.000Z',
    tokenizer: { id: 'tiny-bpe', path: tokenizerPath, vocabSize: tokenizer.vocabSize, eotToken: eot }, dtype: 'uint16', shards,
    totals: { documents: docs.length, tokens: { train: shards[0]!.tokens, validation: shards[1]!.tokens } }, validationFraction: 1 / 6,
  }, null, 2));

  const config = { ...presets.tiny, vocabSize: tokenizer.vocabSize };
  const steps = options.trainSteps ?? 0;
  let weights = initWeights(config, seed);
  let finalLoss: number | undefined;
  let validationLoss: number | undefined;
  if (steps > 0) {
    const trainer = new Trainer({ config, manifestPath, hyper: { batchSize: 8, seqLen: 64, maxSteps: steps, lr: 3e-3, warmupSteps: 2, minLr: 3e-4, seed, evalEvery: steps, evalBatches: 2 }, log: false });
    const result = await trainer.run();
    weights = trainer.weights();
    finalLoss = result.losses[result.losses.length - 1];
    validationLoss = result.valLoss;
    await trainer.close();
  }
  const dir = join(root, 'models', model, String(n));
  await writeModelArtifact(dir, {
    config, weights, tokenizer,
    lineage: {
      versionId: `${model}@${n}`, model, runId: `tiny-run-${seed}`, datasetId: 'tiny@1', manifestPath, manifestSha256: sha256(manifestPath),
      tokenizerId: 'tiny-bpe', codeVersion: 'test', hyperParameters: { trainSteps: steps, seed },
      parameters: [...weights.values()].reduce((k, w) => k + w.length, 0),
      ...(finalLoss !== undefined && { finalLoss }), ...(validationLoss !== undefined && { validationLoss }),
    },
  });
  return dir;
}
