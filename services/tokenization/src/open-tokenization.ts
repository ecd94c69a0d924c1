/**
 * Builds the tokenization module's options from a data directory: the staging store at
 * `<dataDir>/tokenization/datasets.sqlite` and sealed versions under `<dataDir>/datasets/`.
 * Settings come from `config` (the `tokenization:` block of crucible.yaml) or a YAML/JSON file.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DatasetStore } from './datasets/dataset-store';
import type { SealProgress } from './seal-dataset/seal-progress';
import { type TokenizationConfigInput, parseTokenizationConfig } from './tokenization.config';
import type { TokenizationOptions } from './tokenization.options';

export interface OpenTokenizationInput {
  readonly dataDir: string;
  readonly config?: TokenizationConfigInput;
  readonly configFile?: string;
  /** Defaults to `<dataDir>/tokenization/datasets.sqlite`; `:memory:` for tests. */
  readonly storePath?: string;
  /** Defaults to `<dataDir>/datasets`. */
  readonly datasetsDir?: string;
  readonly onProgress?: (progress: SealProgress) => void;
  readonly clock?: () => Date;
  /** Consumer group; default `crucible.tokenization`. */
  readonly group?: string;
}

export function openTokenization(input: OpenTokenizationInput): TokenizationOptions {
  const raw = input.config ?? (input.configFile ? (parseYaml(readFileSync(input.configFile, 'utf8')) as TokenizationConfigInput) : {});
  const config = parseTokenizationConfig(raw ?? {});
  const storePath = input.storePath ?? join(input.dataDir, 'tokenization', 'datasets.sqlite');
  if (storePath !== ':memory:') mkdirSync(join(storePath, '..'), { recursive: true });
  const datasetsDir = input.datasetsDir ?? join(input.dataDir, 'datasets');
  mkdirSync(datasetsDir, { recursive: true });
  return {
    config,
    store: new DatasetStore(storePath),
    datasetsDir,
    ...(input.onProgress && { onProgress: input.onProgress }),
    ...(input.clock && { clock: input.clock }),
    ...(input.group && { group: input.group }),
  };
}
