/** The `datasets.sealed` payload a dataset's manifest stands for: what a run needs to know of its data. */
import type { DatasetSealed } from '@crucible/contracts';
import { readManifest } from '@crucible/shards';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export function sealedFromManifest(manifestPath: string): DatasetSealed {
  const manifest = readManifest(manifestPath);
  return {
    dataset: manifest.dataset,
    datasetId: manifest.datasetId,
    tokenizerId: manifest.tokenizer.id,
    manifestPath,
    manifestSha256: createHash('sha256').update(readFileSync(manifestPath)).digest('hex'),
    dtype: manifest.dtype,
    vocabSize: manifest.tokenizer.vocabSize,
    documents: manifest.totals.documents,
    tokens: manifest.totals.tokens,
    shards: manifest.shards,
  };
}
