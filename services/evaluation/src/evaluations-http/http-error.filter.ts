/**
 * One JSON error shape for the evaluations API: `{ error: { code, message } }`.
 * 404 unknown_model_version, evaluation_not_found · 422 invalid_reference · 503 transport_unavailable · 500 otherwise.
 */
import { httpErrorFilter, mapHttpError } from '@crucible/service-kit';

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  unknown_model_version: 404,
  evaluation_not_found: 404,
  invalid_reference: 422,
};

export const mapEvaluationsError = (error: unknown) => mapHttpError(error, STATUS_BY_CODE);

export const EvaluationsHttpErrorFilter = httpErrorFilter('evaluations', STATUS_BY_CODE);
