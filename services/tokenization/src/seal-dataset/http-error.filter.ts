/**
 * One JSON error shape for the datasets API: `{ error: { code, message } }`.
 * 404 dataset_not_found, version_not_found · 409 nothing_to_seal · 422 invalid_dataset_name,
 * invalid_version · 503 transport_unavailable · 500 otherwise.
 */
import { httpErrorFilter, mapHttpError } from '@crucible/service-kit';

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  dataset_not_found: 404,
  version_not_found: 404,
  nothing_to_seal: 409,
  invalid_dataset_name: 422,
  invalid_version: 422,
};

export const mapDatasetsError = (error: unknown) => mapHttpError(error, STATUS_BY_CODE);

export const DatasetsHttpErrorFilter = httpErrorFilter('datasets', STATUS_BY_CODE);
