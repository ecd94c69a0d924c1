/**
 * A small sealed dataset for tests, laid out exactly as tokenization seals one
 * (`<datasetsDir>/<name>@<n>/`: HF tokenizer.json, train/validation shards, manifest.json), and
 * the `datasets.sealed` payload announcing it. The tokenizer is a byte-level BPE trained on the
 * documents themselves, so token ids are real, and the text repeats enough for a tiny model's
 * loss to fall within a few steps.
 */
import type { DatasetSealed } from '@crucible/contracts';
import { MANIFEST_FORMAT, MANIFEST_VERSION, ManifestSchema, dtypeForVocab, packShard, writeShardFile } from '@crucible/shards';
import { saveTokenizer, trainBpe } from '@crucible/tokenizer';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SENTENCES = [
  'The river had risen through the night, and by morning the lower fields were under water.',
  'Farmers walked along the embankment, counting the cattle that had been moved to higher ground.',
  'Modern compilers translate source code through several intermediate representations.',
  'A good library is a place where a student can follow a question from one shelf to another.',
  'Bread dough rises because yeast turns sugar into carbon dioxide; warm water speeds it up.',
  'Weather stations record temperature, pressure and humidity every ten minutes.',
];

export interface TinyDatasetOptions {
  readonly name: string;
  /** Version number n of `<name>@<n>`; default 1. */
  readonly version?: number;
  readonly documents?: number;
  readonly vocabSize?: number;
}

export async function writeTinyDataset(datasetsDir: string, options: TinyDatasetOptions): Promise<DatasetSealed> {
  const datasetId = `${options.name}@${options.version ?? 1}`;
  const dir = join(datasetsDir, datasetId);
  mkdirSync(dir, { recursive: true });
  const texts = Array.from({ length: options.documents ?? 40 }, (_, i) => `${SENTENCES[i % SENTENCES.length]} ${SENTENCES[(i * 5 + 1) % SENTENCES.length]} Item ${i}.`);
  const tokenizer = await trainBpe(texts, { vocabSize: options.vocabSize ?? 300 });
  const tokenizerPath = join(dir, 'tokenizer.json');
  await saveTokenizer(tokenizer, tokenizerPath, 'hf-json');
  const tokenizerId = `sha256:${createHash('sha256').update(readFileSync(tokenizerPath)).digest('hex')}`;
  const eot = tokenizer.eotToken!;
  const dtype = dtypeForVocab(tokenizer.vocabSize);
  const encoded = texts.map((t) => tokenizer.encodeOrdinary(t));
  const splits = { train: encoded.filter((_, i) => i % 8 !== 0), validation: encoded.filter((_, i) => i % 8 === 0) };
  const shards = (['train', 'validation'] as const).map((split) => {
    const path = `${split}-00000.bin`;
    const sha256 = writeShardFile(join(dir, path), packShard(splits[split], dtype, eot));
    return { split, path, tokens: splits[split].reduce((n, d) => n + d.length + 1, 0), documents: splits[split].length, sha256 };
  });
  const manifest = ManifestSchema.parse({
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_VERSION,
    dataset: options.name,
    datasetId,
    createdAt: new Date(0).toISOString(),
    tokenizer: { id: tokenizerId, path: 'tokenizer.json', vocabSize: tokenizer.vocabSize, eotToken: eot },
    dtype,
    shards,
    totals: { documents: texts.length, tokens: { train: shards[0]!.tokens, validation: shards[1]!.tokens } },
    validationFraction: 0.125,
  });
  const manifestPath = join(dir, 'manifest.json');
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFileSync(manifestPath, manifestText);
  return {
    dataset: options.name,
    datasetId,
    tokenizerId,
    manifestPath,
    manifestSha256: createHash('sha256').update(manifestText).digest('hex'),
    dtype,
    vocabSize: tokenizer.vocabSize,
    documents: texts.length,
    tokens: manifest.totals.tokens,
    shards: manifest.shards,
  };
}
