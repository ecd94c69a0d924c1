export { EvaluationModule } from './evaluation.module';
export { EVALUATION_OPTIONS, type EvaluationOptions } from './evaluation.options';
export { openEvaluation, type OpenEvaluationInput } from './open-evaluation';
export {
  EvaluationConfigSchema,
  GateSchema,
  parseEvaluationConfig,
  type EvaluationConfig,
  type EvaluationConfigInput,
  type GateConfig,
} from './evaluation.config';
export { EvaluateModelService, type EvaluationOutcome } from './evaluate-model/evaluate-model.service';
export { EVALUATION_GROUP } from './evaluate-model/model-trained.consumer';
export type { EvaluationProgress } from './evaluate-model/model-evaluator';
export { REPORT_FILE, type EvaluationReport } from './evaluate-model/evaluation-report';
export { decideVerdict, type ChampionBaseline } from './gate/gate';
export { BUNDLED_TASKS_DIR, loadTasks, parseTask, type EvaluationTask } from './tasks/task-file';
export { EvaluationError, TaskFileError, type EvaluationErrorCode } from './evaluation.errors';
export { EvaluationServiceConfigSchema, loadEvaluationServiceConfig } from './config';
