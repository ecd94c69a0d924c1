/**
 * One JSON error shape for the evaluations API: `{ error: { code, message } }`.
 * 404 unknown_model_version, evaluation_not_found · 422 invalid_reference · 503 transport_unavailable · 500 otherwise.
 */
import { CrucibleError } from '@crucible/contracts';
import { LOGGER, type Logger } from '@crucible/service-kit';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { Response } from 'express';

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  unknown_model_version: 404,
  evaluation_not_found: 404,
  invalid_reference: 422,
  transport_unavailable: 503,
};

export function mapEvaluationsError(error: unknown): { status: number; code: string; message: string } {
  if (error instanceof CrucibleError) return { status: STATUS_BY_CODE[error.code] ?? 500, code: error.code, message: error.message };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { status, code: status === 404 ? 'not_found' : `http_${status}`, message: error.message };
  }
  return { status: 500, code: 'internal_error', message: 'internal error' };
}

@Catch()
export class EvaluationsHttpErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const mapped = mapEvaluationsError(error);
    if (mapped.status >= 500) this.logger.error({ err: error }, 'evaluations request failed');
    host.switchToHttp().getResponse<Response>().status(mapped.status).json({ error: { code: mapped.code, message: mapped.message } });
  }
}
