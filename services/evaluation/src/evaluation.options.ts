/** What the evaluation module needs from its host: settings, tasks, the registry and where models live. */
import type { Registry } from '@crucible/registry';
import type { EvaluationProgress } from './evaluate-model/model-evaluator';
import type { EvaluationConfig } from './evaluation.config';
import type { EvaluationTask } from './tasks/task-file';

export const EVALUATION_OPTIONS = Symbol('crucible.evaluation.options');

export interface EvaluationOptions {
  readonly config: EvaluationConfig;
  readonly tasks: readonly EvaluationTask[];
  readonly registry: Registry;
  /** Model versions are read from `<dataDir>/models/<model>/<n>/` when the event's artifactPath is missing. */
  readonly dataDir: string;
  /** Consumer group of `model.trained`; default `crucible.evaluation`. */
  readonly group?: string;
  /** Called while a model is evaluated (besides the log lines the service writes). */
  readonly onProgress?: (progress: EvaluationProgress) => void;
  /** Injected clock for reports' `evaluatedAt`. */
  readonly clock?: () => Date;
}
