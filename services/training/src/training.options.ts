/** What the training module needs from its host: settings, where things live, the registry and a launcher. */
import type { TrainingProgressed } from '@crucible/contracts';
import type { Registry } from '@crucible/registry';
import type { DatasetCatalog } from './datasets/dataset-catalog';
import type { Launcher } from './launchers/launcher';
import type { TrainingSettings } from './training.config';

export const TRAINING_OPTIONS = Symbol('crucible.training.options');

export interface TrainingOptions {
  readonly settings: TrainingSettings;
  /** Runs (`runs/<runId>/checkpoints`) and model versions (`models/<model>/<n>/`) go here. */
  readonly dataDir: string;
  /** Where sealed dataset versions live when the catalog has not seen them (`<dataDir>/datasets`). */
  readonly datasetsDir: string;
  readonly registry: Registry;
  readonly launcher: Launcher;
  readonly catalog: DatasetCatalog;
  /** Recorded in every model version's lineage: `git describe` of the checkout, or the package version. */
  readonly codeVersion: string;
  /** Prefix of the consumer groups; default `crucible.training`. */
  readonly group?: string;
  /** Called with every progress record the service publishes (e.g. `crucible up`'s console bar). */
  readonly onProgress?: (progress: TrainingProgressed) => void;
  /** Injected clock (progress throttling). */
  readonly now?: () => number;
}
