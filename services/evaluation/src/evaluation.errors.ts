/** Typed evaluation failures: non-retriable ones go to `model.trained.dlq` with the reason. */
import { CrucibleError } from '@crucible/contracts';

export type EvaluationErrorCode = 'invalid_task_file' | 'evaluation_not_found' | 'artifact_unusable' | 'evaluation_failed';

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

/**
 * The bus trusts `retriable` only on CrucibleErrors and retries anything else. Engine and
 * metric errors that say `retriable: false` (a context overflow, an invalid model config, no
 * held-out data) would fail the same way every time, so they are handed over as
 * non-retriable EvaluationErrors and dead-lettered at once with their code in the reason.
 */
export async function forTheBus<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CrucibleError || !(error instanceof Error)) throw error;
    const typed = error as Error & { code?: unknown; retriable?: unknown };
    if (typed.retriable === false) throw new EvaluationError('evaluation_failed', `${String(typed.code ?? typed.name)}: ${typed.message}`);
    throw error;
  }
}
