/**
 * Builds the training module's options from a data directory and a registry: the dataset
 * catalog at `<dataDir>/training/catalog.sqlite`, the launcher the settings name, and the code
 * version recorded in lineage. The caller owns the registry; `closeTraining` closes the rest.
 *
 * @example
 * const registry = await openRegistry(registryUrlFrom(process.env, dataDir));
 * TrainingModule.forRoot(openTraining({ dataDir, registry, config: project.training }))
 */
import type { TrainingProgressed } from '@crucible/contracts';
import type { Registry } from '@crucible/registry';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DatasetCatalog } from './datasets/dataset-catalog';
import { createLauncher } from './launchers/create-launcher';
import type { Launcher } from './launchers/launcher';
import { type TrainingSettingsInput, parseTrainingSettings } from './training.config';
import type { TrainingOptions } from './training.options';

export interface OpenTrainingInput {
  readonly dataDir: string;
  readonly registry: Registry;
  /** Default: the one `config.launcher` names. */
  readonly launcher?: Launcher;
  readonly config?: TrainingSettingsInput;
  readonly configFile?: string;
  /** Default `<dataDir>/datasets` (where tokenization seals versions). */
  readonly datasetsDir?: string;
  readonly group?: string;
  readonly onProgress?: (progress: TrainingProgressed) => void;
  readonly now?: () => number;
}

const PACKAGE_VERSION = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

/** `git describe` of the checkout the code runs from; the package version where there is no git. */
export function codeVersion(): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty', '--tags'], { cwd: __dirname, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return `@crucible/training@${PACKAGE_VERSION}`;
  }
}

export function openTraining(input: OpenTrainingInput): TrainingOptions {
  const raw = input.config ?? (input.configFile ? (parseYaml(readFileSync(input.configFile, 'utf8')) as TrainingSettingsInput) : {});
  const settings = parseTrainingSettings(raw ?? {});
  mkdirSync(join(input.dataDir, 'training'), { recursive: true });
  return {
    settings,
    dataDir: input.dataDir,
    datasetsDir: input.datasetsDir ?? join(input.dataDir, 'datasets'),
    registry: input.registry,
    launcher: input.launcher ?? createLauncher(settings.launcher),
    catalog: new DatasetCatalog(join(input.dataDir, 'training', 'catalog.sqlite')),
    codeVersion: codeVersion(),
    ...(input.group && { group: input.group }),
    ...(input.onProgress && { onProgress: input.onProgress }),
    ...(input.now && { now: input.now }),
  };
}

/** Closes what openTraining opened (the catalog); the service stops the launcher's workers itself on shutdown. */
export function closeTraining(options: TrainingOptions): void {
  options.catalog.close();
}
