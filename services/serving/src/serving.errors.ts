/**
 * Every refusal the gateway answers with, each carrying its HTTP status and the OpenAI error
 * `type` / `code` / `param` (https://platform.openai.com/docs/guides/error-codes), so the
 * one exception filter can answer in the exact shape the `openai` clients parse.
 */
export type OpenAiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'server_error';

export interface OpenAiErrorBody {
  readonly error: { readonly message: string; readonly type: OpenAiErrorType; readonly param: string | null; readonly code: string | null };
}

export class ServingError extends Error {
  constructor(
    readonly status: number,
    readonly type: OpenAiErrorType,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  toBody(): OpenAiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export class InvalidRequestError extends ServingError {
  constructor(message: string, param: string | null = null, code = 'invalid_value') {
    super(400, 'invalid_request_error', code, message, param);
  }
}

export class MalformedJsonError extends ServingError {
  constructor(detail: string) {
    super(400, 'invalid_request_error', 'invalid_json', `We could not parse the JSON body of your request: ${detail}`);
  }
}

export class ContentPolicyError extends ServingError {
  constructor(reasons: readonly string[]) {
    super(400, 'invalid_request_error', 'content_policy_violation', `The request was refused by the input guardrail: ${reasons.join('; ')}`, 'messages');
  }
}

export class ContextLengthError extends ServingError {
  constructor(promptTokens: number, contextLength: number, param: string) {
    super(
      400,
      'invalid_request_error',
      'context_length_exceeded',
      `This model's maximum context length is ${contextLength} tokens; your prompt has ${promptTokens} tokens and leaves no room for a completion.`,
      param,
    );
  }
}

export class RequestTooLargeError extends ServingError {
  constructor(limit: number) {
    super(413, 'invalid_request_error', 'request_too_large', `The request body exceeds the limit of ${limit} bytes.`, null, { Connection: 'close' });
  }
}

export class MissingApiKeyError extends ServingError {
  constructor() {
    super(401, 'authentication_error', 'missing_api_key', "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.");
  }
}

export class InvalidApiKeyError extends ServingError {
  constructor() {
    super(401, 'authentication_error', 'invalid_api_key', 'Incorrect API key provided.');
  }
}

export class ModelNotAllowedError extends ServingError {
  constructor(model: string) {
    super(403, 'permission_error', 'model_not_allowed', `This API key is not allowed to use the model '${model}'.`, 'model');
  }
}

export class ModelNotFoundError extends ServingError {
  constructor(model: string) {
    super(404, 'not_found_error', 'model_not_found', `The model '${model}' does not exist or you do not have access to it.`, 'model');
  }
}

export class NotFoundError extends ServingError {
  constructor(message: string, param: string | null = null, code = 'not_found') {
    super(404, 'not_found_error', code, message, param);
  }
}

/** Per-key limits and the bounded queue: the client should wait `retryAfterSeconds`. */
export class RateLimitError extends ServingError {
  constructor(message: string, retryAfterSeconds: number, code = 'rate_limit_exceeded') {
    super(429, 'rate_limit_error', code, message, null, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}

export class QueueFullError extends RateLimitError {
  constructor(versionId: string, retryAfterSeconds: number) {
    super(`The server is at capacity for ${versionId}; retry after ${Math.ceil(retryAfterSeconds)} s.`, retryAfterSeconds, 'queue_full');
  }
}

export class ServiceUnavailableError extends ServingError {
  constructor(message: string) {
    super(503, 'server_error', 'unavailable', message, null, { 'Retry-After': '5' });
  }
}

export class InternalError extends ServingError {
  constructor() {
    super(500, 'server_error', 'internal_error', 'The server had an error while processing your request.');
  }
}
