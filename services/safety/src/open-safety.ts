/**
 * Builds the safety module's options: settings from `config` (the `safety:` block of
 * crucible.yaml) or a YAML/JSON file, probe sets from the bundled folder plus `probesDir`,
 * loaded and validated now so a bad probe file stops boot, not the first model.
 *
 * @example SafetyModule.forRoot(openSafety({ dataDir: '.crucible', registry }))
 */
import type { Registry } from '@crucible/registry';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { BUNDLED_PROBES_DIR, loadProbeSets } from './probes/probe-file';
import { parseSafetyConfig, type SafetyConfigInput } from './safety.config';
import { SafetyError } from './safety.errors';
import type { SafetyOptions } from './safety.options';

export interface OpenSafetyInput {
  readonly dataDir: string;
  readonly registry: Registry;
  readonly config?: SafetyConfigInput;
  /** Read when `config` is not given. */
  readonly configFile?: string;
  readonly group?: string;
  readonly onProgress?: SafetyOptions['onProgress'];
  readonly clock?: () => Date;
}

export function openSafety(input: OpenSafetyInput): SafetyOptions {
  const raw = input.config ?? (input.configFile ? (parseYaml(readFileSync(input.configFile, 'utf8')) as SafetyConfigInput | null) : {});
  let config;
  try {
    config = parseSafetyConfig(raw ?? {});
  } catch (error) {
    const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    throw new SafetyError('invalid_safety_config', `safety config: ${issues ? issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (error as Error).message}`);
  }
  return {
    config,
    sets: loadProbeSets(BUNDLED_PROBES_DIR, ...(config.probesDir ? [config.probesDir] : [])),
    registry: input.registry,
    dataDir: input.dataDir,
    ...(input.group && { group: input.group }),
    ...(input.onProgress && { onProgress: input.onProgress }),
    ...(input.clock && { clock: input.clock }),
  };
}
