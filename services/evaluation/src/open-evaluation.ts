/**
 * Builds the evaluation module's options: settings from `config` (the `evaluation:` block of
 * crucible.yaml) or a YAML/JSON file, tasks from the configured folder (the bundled SOTU tasks
 * by default), loaded and validated now so a bad task file stops boot, not the first model.
 *
 * @example EvaluationModule.forRoot(openEvaluation({ dataDir: '.crucible', registry }))
 */
import type { Registry } from '@crucible/registry';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { EvaluationProgress } from './evaluate-model/model-evaluator';
import { type EvaluationConfigInput, parseEvaluationConfig } from './evaluation.config';
import type { EvaluationOptions } from './evaluation.options';
import { BUNDLED_TASKS_DIR, loadTasks } from './tasks/task-file';

export interface OpenEvaluationInput {
  readonly dataDir: string;
  readonly registry: Registry;
  readonly config?: EvaluationConfigInput;
  /** Read when `config` is not given. */
  readonly configFile?: string;
  readonly group?: string;
  readonly onProgress?: (progress: EvaluationProgress) => void;
  readonly clock?: () => Date;
}

export function openEvaluation(input: OpenEvaluationInput): EvaluationOptions {
  const raw = input.config ?? (input.configFile ? (parseYaml(readFileSync(input.configFile, 'utf8')) as EvaluationConfigInput | null) : {});
  const config = parseEvaluationConfig(raw ?? {});
  return {
    config,
    tasks: loadTasks(config.tasksDir ?? BUNDLED_TASKS_DIR),
    registry: input.registry,
    dataDir: input.dataDir,
    ...(input.group && { group: input.group }),
    ...(input.onProgress && { onProgress: input.onProgress }),
    ...(input.clock && { clock: input.clock }),
  };
}
