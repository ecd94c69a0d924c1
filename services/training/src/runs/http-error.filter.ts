/**
 * One JSON error shape for the training API: `{ error: { code, message, issues? } }`.
 * 400 invalid_body · 404 run_not_found, dataset_not_found, base_model_not_found ·
 * 409 run_finished · 422 invalid_training_request, invalid_status · 503 transport_unavailable · 500 otherwise.
 */
import { CrucibleError, type Issue } from '@crucible/contracts';
import { LOGGER, type Logger } from '@crucible/service-kit';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { Response } from 'express';

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  invalid_body: 400,
  invalid_event: 400,
  run_not_found: 404,
  dataset_not_found: 404,
  base_model_not_found: 404,
  run_finished: 409,
  invalid_training_request: 422,
  invalid_status: 422,
  transport_unavailable: 503,
};

export function mapTrainingError(error: unknown): { status: number; code: string; message: string; issues?: readonly Issue[] } {
  if (error instanceof CrucibleError) {
    const code = String(error.code);
    return { status: STATUS_BY_CODE[code] ?? 500, code, message: error.message, ...(error.issues.length > 0 && { issues: error.issues }) };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { status, code: status === 404 ? 'not_found' : `http_${status}`, message: error.message };
  }
  return { status: 500, code: 'internal_error', message: 'internal error' };
}

@Catch()
export class TrainingHttpErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const { status, ...body } = mapTrainingError(error);
    if (status >= 500) this.logger.error({ err: error }, 'training request failed');
    host.switchToHttp().getResponse<Response>().status(status).json({ error: body });
  }
}
