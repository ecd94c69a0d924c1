/** Typed evaluation failures: non-retriable ones go to `model.trained.dlq` with the reason. */
import { CrucibleError } from '@crucible/contracts';

export type EvaluationErrorCode = 'invalid_task_file' | 'invalid_model_reference' | 'evaluation_not_found' | 'artifact_unusable';

export class EvaluationError extends CrucibleError<EvaluationErrorCode> {
  constructor(code: EvaluationErrorCode, message: string, retriable = false) {
    super(code, message, retriable);
  }
}

export class TaskFileError extends EvaluationError {
  constructor(file: string, problems: string) {
    super('invalid_task_file', `task file ${file}: ${problems}`);
  }
}
