/**
 * Every error of the gateway's HTTP API in the OpenAI shape `{ error: { message, type, param,
 * code } }` with its status and headers (`Retry-After` on 429). Errors the gateway did not
 * anticipate become a 500 whose message reveals nothing; the log has the detail.
 */
import { LOGGER, type Logger } from '@crucible/service-kit';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { Response } from 'express';
import { sendJson } from '../http/send-json';
import { InternalError, InvalidRequestError, NotFoundError, ServingError } from '../serving.errors';

export function toServingError(error: unknown): ServingError {
  if (error instanceof ServingError) return error;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404) return new NotFoundError(error.message);
    if (status < 500) return new InvalidRequestError(error.message);
  }
  return new InternalError();
}

/** Writes the error; after a stream has started only an SSE error event can still be sent. */
export function sendError(response: ServerResponse, error: ServingError): void {
  if (response.headersSent) {
    if (!response.writableEnded) response.end(`data: ${JSON.stringify(error.toBody())}\n\ndata: [DONE]\n\n`);
    return;
  }
  sendJson(response, error.status, error.toBody(), error.headers);
}

@Catch()
export class OpenAiErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const mapped = toServingError(error);
    if (mapped.status >= 500) this.logger.error({ err: error }, 'serving request failed');
    sendError(host.switchToHttp().getResponse<Response>(), mapped);
  }
}
