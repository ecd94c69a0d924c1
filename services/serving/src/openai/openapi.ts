/**
 * The OpenAPI 3.1 document served at `/openapi.json`, generated from the zod schemas that
 * validate the requests (zod's JSON Schema output is draft 2020-12, which OpenAPI 3.1 uses
 * as its schema dialect), so the document cannot drift from what the server accepts.
 */
import { z } from 'zod';
import {
  ChatCompletionRequestSchema,
  ChatCompletionResponseSchema,
  CompletionRequestSchema,
  CompletionResponseSchema,
  ErrorResponseSchema,
  FeedbackRequestSchema,
  ModelListSchema,
} from './openai.schemas';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), { description: ERROR_TEXT[s] ?? 'error', content: json(ref('ErrorResponse')) }]));

const ERROR_TEXT: Record<number, string> = {
  400: 'invalid_request_error: bad JSON, a bad parameter (param names it), context_length_exceeded, content_policy_violation',
  401: 'authentication_error: missing or invalid API key',
  403: 'permission_error: the key may not use this model',
  404: 'not_found_error: model_not_found',
  413: 'request_too_large',
  429: 'rate_limit_error: per-key limits or a full queue (see Retry-After)',
  500: 'server_error',
};

const completionOperation = (summary: string, request: string, response: string) => ({
  summary,
  security: [{ bearer: [] }],
  requestBody: { required: true, content: json(ref(request)) },
  responses: {
    '200': {
      description: 'The completion, or with `stream: true` server-sent events (`data: {chunk}` … `data: [DONE]`).',
      headers: { 'x-crucible-model-version': { schema: { type: 'string' }, description: 'The exact version that served it.' } },
      content: { ...json(ref(response)), 'text/event-stream': { schema: { type: 'string' } } },
    },
    ...errors(400, 401, 403, 404, 413, 429, 500),
  },
});

export function openApiDocument(): Record<string, unknown> {
  const schemas = z.toJSONSchema(
    z.object({
      a: CompletionRequestSchema,
      b: ChatCompletionRequestSchema,
      c: FeedbackRequestSchema,
      d: CompletionResponseSchema,
      e: ChatCompletionResponseSchema,
      f: ModelListSchema,
      g: ErrorResponseSchema,
    }),
    { target: 'draft-2020-12', io: 'input' },
  ) as { $defs?: Record<string, unknown> };
  // zod points references at its own `$defs`; in the document they live under components.
  const components = JSON.parse(JSON.stringify(schemas.$defs ?? {}).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<string, unknown>;
  return {
    openapi: '3.1.0',
    info: { title: 'Crucible serving gateway', version: '1', description: 'OpenAI-compatible completions, chat completions and models, plus feedback.' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      schemas: components,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key `sk-crucible-…`' } },
    },
    paths: {
      '/v1/completions': { post: completionOperation('Create a completion', 'CreateCompletionRequest', 'CompletionResponse') },
      '/v1/chat/completions': { post: completionOperation('Create a chat completion', 'CreateChatCompletionRequest', 'ChatCompletionResponse') },
      '/v1/models': {
        get: { summary: 'List models: versions, aliases and names the key may use', security: [{ bearer: [] }], responses: { '200': { description: 'OK', content: json(ref('ModelList')) }, ...errors(401) } },
      },
      '/v1/feedback': {
        post: {
          summary: 'Rate a completion (published to the serving.feedback topic)',
          security: [{ bearer: [] }],
          requestBody: { required: true, content: json(ref('FeedbackRequest')) },
          responses: { '202': { description: 'Accepted' }, ...errors(400, 401, 404, 413) },
        },
      },
    },
  };
}
