/**
 * One JSON error shape for the ingestion API: `{ error: { code, message, issues? } }`, where
 * each issue is `{ path, message }` (zod style). Status by error:
 * 400 malformed_body · 413 request_too_large, document_too_large · 415 unsupported_media_type ·
 * 422 invalid_document · 503 transport_unavailable (retry later) · 500 internal_error.
 */
import {
  CrucibleError,
  DocumentTooLargeError,
  type Issue,
  TransportUnavailableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '@crucible/contracts';
import { LOGGER, type Logger } from '@crucible/service-kit';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { Response } from 'express';
import { DocumentsRejectedError, MalformedBodyError, RequestTooLargeError } from '../document/ingestion.errors';

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly issues?: readonly Issue[] };
}

interface Mapped {
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers?: Record<string, string>;
}

const body = (code: string, message: string, issues?: readonly Issue[]): ErrorBody => ({
  error: { code, message, ...(issues && issues.length > 0 ? { issues } : {}) },
});

const HTTP_CODES: Readonly<Record<number, string>> = { 400: 'bad_request', 404: 'not_found', 405: 'method_not_allowed' };

export function mapError(error: unknown): Mapped {
  if (error instanceof MalformedBodyError) return { status: 400, body: body(error.code, error.message, error.issues) };
  // The rest of an oversize body is not read: close the connection rather than keep it alive.
  if (error instanceof RequestTooLargeError) return { status: 413, body: body(error.code, error.message), headers: { Connection: 'close' } };
  if (error instanceof DocumentsRejectedError) return { status: error.code === 'document_too_large' ? 413 : 422, body: body(error.code, error.message, error.issues) };
  if (error instanceof DocumentTooLargeError) return { status: 413, body: body(error.code, error.message) };
  if (error instanceof UnsupportedMediaTypeError) return { status: 415, body: body(error.code, error.message) };
  if (error instanceof ValidationError) return { status: 422, body: body(error.code, error.message, error.issues) };
  if (error instanceof TransportUnavailableError) {
    return { status: 503, body: body(error.code, 'the bus is unavailable; retry later (resending is safe: a document keeps its content-hash id)'), headers: { 'Retry-After': '5' } };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { status, body: body(HTTP_CODES[status] ?? `http_${status}`, error.message) };
  }
  if (error instanceof CrucibleError) return { status: 500, body: body(error.code, error.message) };
  return { status: 500, body: body('internal_error', 'internal error') };
}

@Catch()
export class IngestionHttpErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const mapped = mapError(error);
    if (mapped.status >= 500) this.logger.error({ err: error }, 'ingestion request failed');
    else this.logger.debug({ code: mapped.body.error.code, status: mapped.status }, 'ingestion request refused');
    const response = host.switchToHttp().getResponse<Response>();
    for (const [name, value] of Object.entries(mapped.headers ?? {})) response.setHeader(name, value);
    response.status(mapped.status).json(mapped.body);
  }
}
