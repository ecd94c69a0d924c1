/**
 * One JSON error shape for every service's HTTP API: `{ error: { code, message, issues? } }`,
 * the status chosen by the typed error's `code` from the API's own table. A service declares
 * `@UseFilters(httpErrorFilter('training', { run_not_found: 404, … }))` on its controller.
 */
import type { Issue } from '@crucible/contracts';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject, type Type } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from './logger';
import { LOGGER } from './tokens';

export interface HttpErrorMapping {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly issues?: readonly Issue[];
}

/** Every API answers these the same way; a table adds its own codes. */
const COMMON_STATUS: Readonly<Record<string, number>> = { invalid_event: 400, transport_unavailable: 503 };

/**
 * Typed errors (a string `code` and a boolean `retriable`, as CrucibleError and the libs'
 * errors carry) by the table; Nest's HTTP exceptions by their status; anything else — a Node
 * system error with its file paths, say — is a 500 that hides its message.
 */
export function mapHttpError(error: unknown, statusByCode: Readonly<Record<string, number>>): HttpErrorMapping {
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { status, code: status === 404 ? 'not_found' : `http_${status}`, message: error.message };
  }
  if (isTypedError(error)) {
    return {
      status: statusByCode[error.code] ?? COMMON_STATUS[error.code] ?? 500,
      code: error.code,
      message: error.message,
      ...(error.issues !== undefined && error.issues.length > 0 && { issues: error.issues }),
    };
  }
  return { status: 500, code: 'internal_error', message: 'internal error' };
}

interface TypedError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  readonly issues?: readonly Issue[];
}

const isTypedError = (error: unknown): error is TypedError =>
  error instanceof Error && typeof (error as Partial<TypedError>).code === 'string' && typeof (error as Partial<TypedError>).retriable === 'boolean';

/** A Nest exception filter for one API; 5xx are logged with the error, 4xx are the caller's. */
export function httpErrorFilter(api: string, statusByCode: Readonly<Record<string, number>>): Type<ExceptionFilter> {
  @Catch()
  class ApiHttpErrorFilter implements ExceptionFilter {
    constructor(@Inject(LOGGER) private readonly logger: Logger) {}

    catch(error: unknown, host: ArgumentsHost): void {
      const { status, ...body } = mapHttpError(error, statusByCode);
      if (status >= 500) this.logger.error({ err: error }, `${api} request failed`);
      host.switchToHttp().getResponse<Response>().status(status).json({ error: body });
    }
  }
  Object.defineProperty(ApiHttpErrorFilter, 'name', { value: `${api[0]!.toUpperCase()}${api.slice(1).replace(/[^A-Za-z0-9]+(.)/g, (_m, c: string) => c.toUpperCase())}HttpErrorFilter` });
  return ApiHttpErrorFilter;
}
