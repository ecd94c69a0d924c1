/**
 * Encodes a dataset version's documents and writes its shards and `manifest.json` into a
 * directory (libs/shards format, docs/shard-format.md). Documents are encoded as ordinary
 * text: a document that contains the string `<|endoftext|>` cannot forge a document boundary.
 */
import { MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest, ManifestSchema, dtypeForVocab } from '@crucible/shards';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { splitOf } from '../datasets/dataset-split';
import { ShardPacker } from './shard-packer';
import type { SealTokenizer } from './tokenizer-source';

export const MANIFEST_FILE = 'manifest.json';

export interface EncodeProgress {
  readonly documents: number;
  readonly totalDocuments: number;
  readonly tokens: number;
}

export interface WriteVersionInput {
  readonly dataset: string;
  readonly datasetId: string;
  readonly dir: string;
  readonly documents: Iterable<{ readonly documentId: string; readonly text: string }>;
  readonly totalDocuments: number;
  readonly tokenizer: SealTokenizer;
  readonly validationFraction: number;
  readonly shardTokens: number;
  readonly createdAt: Date;
  readonly onProgress: (progress: EncodeProgress) => void;
  readonly progressIntervalMs: number;
}

export interface WrittenVersion {
  readonly manifest: Manifest;
  readonly manifestSha256: string;
}

/** Documents encoded between turns of the event loop, so HTTP and consumer heartbeats keep running. */
const YIELD_EVERY = 256;

export async function writeVersion(input: WriteVersionInput): Promise<WrittenVersion> {
  const { tokenizer } = input;
  const dtype = dtypeForVocab(tokenizer.tokenizer.vocabSize);
  const packers = {
    train: new ShardPacker('train', input.dir, dtype, tokenizer.eotToken, input.shardTokens),
    validation: new ShardPacker('validation', input.dir, dtype, tokenizer.eotToken, input.shardTokens),
  };
  const documentIds: string[] = [];
  let last = Date.now();
  for (const document of input.documents) {
    packers[splitOf(document.documentId, input.validationFraction)].add(tokenizer.tokenizer.encodeOrdinary(document.text));
    documentIds.push(document.documentId);
    if (documentIds.length % YIELD_EVERY === 0) await nextTurn();
    if (Date.now() - last >= input.progressIntervalMs) {
      last = Date.now();
      input.onProgress({ documents: documentIds.length, totalDocuments: input.totalDocuments, tokens: packers.train.tokens + packers.validation.tokens });
    }
  }
  packers.train.flush();
  packers.validation.flush();
  input.onProgress({ documents: documentIds.length, totalDocuments: input.totalDocuments, tokens: packers.train.tokens + packers.validation.tokens });

  const manifest = ManifestSchema.parse({
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_VERSION,
    dataset: input.dataset,
    datasetId: input.datasetId,
    createdAt: input.createdAt.toISOString(),
    tokenizer: { id: tokenizer.id, path: tokenizer.path, vocabSize: tokenizer.tokenizer.vocabSize, eotToken: tokenizer.eotToken },
    dtype,
    shards: [...packers.train.shards, ...packers.validation.shards],
    totals: {
      documents: documentIds.length,
      tokens: { train: packers.train.tokens, validation: packers.validation.tokens },
    },
    documentIds,
    validationFraction: input.validationFraction,
  } satisfies Manifest);
  const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(input.dir, MANIFEST_FILE), bytes);
  return { manifest, manifestSha256: createHash('sha256').update(bytes).digest('hex') };
}
