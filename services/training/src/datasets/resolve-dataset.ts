/**
 * Finds the sealed dataset a run trains on: first what `datasets.sealed` taught the catalog,
 * then `<datasetsDir>/<datasetId>/manifest.json` (the embedded mode shares the data directory
 * with tokenization, so a dataset sealed before this service first started is still found).
 */
import type { DatasetSealed } from '@crucible/contracts';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { datasetNotFound } from '../training.errors';
import type { DatasetCatalog } from './dataset-catalog';
import { sealedFromManifest } from './sealed-from-manifest';

/** Dataset ids become paths: refuse anything that could leave the datasets directory. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}@[1-9][0-9]{0,8}$/;

export function resolveDataset(catalog: DatasetCatalog, datasetsDir: string, datasetId: string): DatasetSealed {
  const known = catalog.get(datasetId);
  if (known) return known;
  const manifestPath = resolve(join(datasetsDir, datasetId, 'manifest.json'));
  if (!SAFE_ID.test(datasetId) || !existsSync(manifestPath)) throw datasetNotFound(datasetId);
  const sealed = sealedFromManifest(manifestPath);
  catalog.record(sealed);
  return sealed;
}

/** `sotu@3` → `sotu`: the default model name of a run on that dataset. */
export const datasetNameOf = (datasetId: string): string => datasetId.replace(/@[^@]*$/, '');
