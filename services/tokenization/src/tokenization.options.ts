/** What the tokenization module needs from its host: settings, the staging store and where versions go. */
import type { DatasetStore } from './datasets/dataset-store';
import type { SealProgress } from './seal-dataset/seal-progress';
import type { TokenizationConfig } from './tokenization.config';

export const TOKENIZATION_OPTIONS = Symbol('crucible.tokenization.options');

export interface TokenizationOptions {
  readonly config: TokenizationConfig;
  readonly store: DatasetStore;
  /** Sealed versions, one immutable directory each: `<datasetsDir>/<name>@<n>/`. */
  readonly datasetsDir: string;
  /** Called while a seal trains and encodes (besides the log lines the service writes). */
  readonly onProgress?: (progress: SealProgress) => void;
  /** Consumer group of `documents.cleaned` (default `crucible.tokenization`); seal requests use `<group>.seal`. */
  readonly group?: string;
  /** Injected clock for manifests' `createdAt`. */
  readonly clock?: () => Date;
}
