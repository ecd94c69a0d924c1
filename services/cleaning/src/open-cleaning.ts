/** Builds the cleaning module's options from files: thresholds (YAML/JSON) and the persisted dedup index. */
import { type CleaningConfigInput, SqliteDedupIndex, parseCleaningConfig } from '@crucible/curation';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { CleaningOptions } from './cleaning.options';

export function openCleaning(input: { configFile?: string; config?: CleaningConfigInput; dedupIndexPath: string }): CleaningOptions {
  const raw = input.config ?? (input.configFile ? (parseYaml(readFileSync(input.configFile, 'utf8')) as CleaningConfigInput) : {});
  const config = parseCleaningConfig(raw ?? {});
  if (input.dedupIndexPath !== ':memory:') mkdirSync(dirname(input.dedupIndexPath), { recursive: true });
  const dedupIndex = new SqliteDedupIndex({ path: input.dedupIndexPath, minhash: config.dedup });
  return { config, dedupIndex };
}
