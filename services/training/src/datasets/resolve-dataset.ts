/**
 * Finds the sealed dataset a run trains on: first what `datasets.sealed` taught the catalog,
 * then `<datasetsDir>/<datasetId>/manifest.json` (the embedded mode shares the data directory
 * with tokenization, so a dataset sealed before this service first started is still found).
 */
import type { DatasetSealed } from '@crucible/contracts';
import { readManifest } from '@crucible/shards';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { datasetNotFound } from '../training.errors';
import type { DatasetCatalog } from './dataset-catalog';

/** Dataset ids become paths: refuse anything that could leave the datasets directory. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}@[1-9][0-9]{0,8}$/;

export function resolveDataset(catalog: DatasetCatalog, datasetsDir: string, datasetId: string): DatasetSealed {
  const known = catalog.get(datasetId);
  if (known) return known;
  const manifestPath = resolve(join(datasetsDir, datasetId, 'manifest.json'));
  if (!SAFE_ID.test(datasetId) || !existsSync(manifestPath)) throw datasetNotFound(datasetId);
  const manifest = readManifest(manifestPath);
  const sealed: DatasetSealed = {
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
  catalog.record(sealed);
  return sealed;
}

/** `sotu@3` → `sotu`: the default model name of a run on that dataset. */
export const datasetNameOf = (datasetId: string): string => datasetId.replace(/@[^@]*$/, '');
