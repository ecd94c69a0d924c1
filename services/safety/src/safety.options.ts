/** What the safety module needs from its host: settings, probe sets, the registry and where models live. */
import type { Registry } from '@crucible/registry';
import type { ProbeSet } from './probes/probe-file';
import type { SafetyConfig } from './safety.config';
import type { SuiteProgress } from './suite/suite-result';

export const SAFETY_OPTIONS = Symbol('crucible.safety.options');

export interface SafetyOptions {
  readonly config: SafetyConfig;
  readonly sets: readonly ProbeSet[];
  readonly registry: Registry;
  /** Model versions are read from `<dataDir>/models/<model>/<n>/` when the registry has no path. */
  readonly dataDir: string;
  /** Consumer group of `model.evaluated`; default `crucible.safety`. */
  readonly group?: string;
  readonly onProgress?: (progress: SuiteProgress & { readonly versionId: string }) => void;
  readonly clock?: () => Date;
}
