/**
 * One JSON error shape for the datasets API: `{ error: { code, message } }`.
 * 404 dataset_not_found, version_not_found · 409 nothing_to_seal · 422 invalid_dataset_name,
 * invalid_version · 503 transport_unavailable · 500 otherwise.
 */
import { CrucibleError } from '@crucible/contracts';
import { LOGGER, type Logger } from '@crucible/service-kit';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { Response } from 'express';
import { DatasetError } from '../datasets/dataset.errors';

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  dataset_not_found: 404,
  version_not_found: 404,
  nothing_to_seal: 409,
  invalid_dataset_name: 422,
  invalid_version: 422,
  transport_unavailable: 503,
};

export function mapDatasetsError(error: unknown): { status: number; code: string; message: string } {
  if (error instanceof DatasetError || error instanceof CrucibleError) {
    return { status: STATUS_BY_CODE[error.code] ?? 500, code: error.code, message: error.message };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { status, code: status === 404 ? 'not_found' : `http_${status}`, message: error.message };
  }
  return { status: 500, code: 'internal_error', message: 'internal error' };
}

@Catch()
export class DatasetsHttpErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const mapped = mapDatasetsError(error);
    if (mapped.status >= 500) this.logger.error({ err: error }, 'datasets request failed');
    host.switchToHttp().getResponse<Response>().status(mapped.status).json({ error: { code: mapped.code, message: mapped.message } });
  }
}
