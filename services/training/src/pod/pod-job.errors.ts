/**
 * Why a trainer pod cannot run its job. Every one is deterministic — the pod's env is the same
 * on each retry of the Job — so each maps to exit code 3 and a non-retriable
 * `training.failed`.
 */
import { CrucibleError, type Issue } from '@crucible/contracts';

export type PodJobErrorCode =
  /** CRUCIBLE_TRAINING_JOB is missing, not JSON, or neither a TrainingJob nor a TrainingRun spec. */
  | 'invalid_training_job'
  /** The spec names something the pod cannot resolve on its own (a registry reference). */
  | 'unsupported_training_spec';

export class PodJobError extends CrucibleError<PodJobErrorCode> {
  constructor(code: PodJobErrorCode, message: string, issues: readonly Issue[] = []) {
    super(code, message, false, issues);
  }
}
