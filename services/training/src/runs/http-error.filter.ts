/**
 * One JSON error shape for the training API: `{ error: { code, message, issues? } }`.
 * 400 invalid_body · 404 run_not_found, dataset_not_found, base_model_not_found ·
 * 409 run_finished · 422 invalid_training_request, invalid_status · 503 transport_unavailable · 500 otherwise.
 */
import { httpErrorFilter, mapHttpError } from '@crucible/service-kit';

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  invalid_body: 400,
  run_not_found: 404,
  dataset_not_found: 404,
  base_model_not_found: 404,
  run_finished: 409,
  invalid_training_request: 422,
  invalid_status: 422,
};

export const mapTrainingError = (error: unknown) => mapHttpError(error, STATUS_BY_CODE);

export const TrainingHttpErrorFilter = httpErrorFilter('training', STATUS_BY_CODE);
