/** Typed failures of the training stage: a literal `code` (HTTP status and DLQ reason), and whether a retry can help. */
import { CrucibleError, type Issue } from '@crucible/contracts';

export type TrainingErrorCode =
  | 'dataset_not_found'
  | 'invalid_training_request'
  | 'base_model_not_found'
  | 'run_not_found'
  | 'run_finished'
  | 'invalid_body'
  | 'invalid_status';

export class TrainingError extends CrucibleError<TrainingErrorCode> {
  constructor(code: TrainingErrorCode, message: string, retriable = false, issues: readonly Issue[] = []) {
    super(code, message, retriable, issues);
  }
}

export const datasetNotFound = (datasetId: string): TrainingError =>
  new TrainingError('dataset_not_found', `dataset ${datasetId} is unknown: no datasets.sealed event named it and ${datasetId}/manifest.json is not under the datasets directory`);

export const invalidRequest = (message: string, issues: readonly Issue[] = []): TrainingError =>
  new TrainingError('invalid_training_request', message, false, issues);

export const runNotFound = (runId: string): TrainingError => new TrainingError('run_not_found', `no training run '${runId}'`);
