/**
 * The request bodies of the OpenAI API this gateway implements, as zod schemas: the same
 * schemas validate requests and generate `/openapi.json`. Field names, ranges and defaults
 * follow https://platform.openai.com/docs/api-reference; parameters the engine cannot honour
 * are refused by name (see `UNSUPPORTED`) rather than silently ignored.
 */
import { ServingFeedbackSchema } from '@crucible/contracts';
import { z } from 'zod';

const nullish = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

const StopSchema = nullish(z.union([z.string(), z.array(z.string()).max(4)])).describe('Up to 4 strings; the completion ends before the first one and does not contain it.');

const SamplingFields = {
  model: z.string().min(1).describe('A model name (`sotu`: its champion, or the rollout split), an alias (`sotu:challenger`) or a version (`sotu@3`).'),
  max_tokens: nullish(z.number().int().min(1)).describe('Most tokens to generate; bounded by the context and the server limit.'),
  temperature: nullish(z.number().min(0).max(2)).describe('0 = greedy. Default 1.'),
  top_p: nullish(z.number().gt(0).max(1)).describe('Nucleus sampling mass. Default 1.'),
  n: nullish(z.number().int().min(1)).describe('Choices to generate (each is a row of the batch). Default 1.'),
  stream: nullish(z.boolean()).describe('Server-sent events: `data: {chunk}` lines, then `data: [DONE]`.'),
  stream_options: nullish(z.object({ include_usage: z.boolean().optional() }).strict()).describe('`include_usage`: a last chunk with `usage` and no choices.'),
  stop: StopSchema,
  seed: nullish(z.number().int()).describe('Same seed, same request, same model version: same output.'),
  user: z.string().max(256).optional().describe('Your end user, for abuse tracing (not used for generation).'),
  presence_penalty: nullish(z.literal(0)).describe('Only 0 (no penalty) is supported.'),
  frequency_penalty: nullish(z.literal(0)).describe('Only 0 (no penalty) is supported.'),
};

export const CompletionRequestSchema = z
  .object({
    ...SamplingFields,
    prompt: z.union([z.string(), z.array(z.string()).min(1)]).describe('A prompt, or several (each gets `n` choices).'),
  })
  .strict()
  .meta({ id: 'CreateCompletionRequest' });
export type CompletionRequest = z.output<typeof CompletionRequestSchema>;

const TextPartSchema = z.object({ type: z.literal('text'), text: z.string() }).strict();
const ContentSchema = z.union([z.string(), z.array(TextPartSchema).min(1)]);

export const ChatMessageSchema = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant']),
    content: ContentSchema,
    name: z.string().optional(),
  })
  .strict();

export const ChatCompletionRequestSchema = z
  .object({
    ...SamplingFields,
    messages: z.array(ChatMessageSchema).min(1).describe("The conversation, rendered with the model's chat template."),
    max_completion_tokens: nullish(z.number().int().min(1)).describe('Newer name of `max_tokens`; wins when both are set.'),
  })
  .strict()
  .meta({ id: 'CreateChatCompletionRequest' });
export type ChatCompletionRequest = z.output<typeof ChatCompletionRequestSchema>;

export const FeedbackRequestSchema = ServingFeedbackSchema.omit({ modelVersionId: true })
  .extend({ requestId: z.string().min(1).describe('The `id` of a completion this gateway returned.') })
  .meta({ id: 'FeedbackRequest' });
export type FeedbackRequest = z.output<typeof FeedbackRequestSchema>;

/** OpenAI parameters this server knows but does not implement, with why (a 400 names them). */
export const UNSUPPORTED: Readonly<Record<string, string>> = {
  logprobs: 'log-probabilities are not returned by this server',
  top_logprobs: 'log-probabilities are not returned by this server',
  logit_bias: 'logit bias is not supported',
  best_of: 'best_of is not supported; use n',
  echo: 'echo is not supported',
  suffix: 'suffix (insertion) is not supported',
  tools: 'tool calling is not supported by these models',
  tool_choice: 'tool calling is not supported by these models',
  parallel_tool_calls: 'tool calling is not supported by these models',
  functions: 'function calling is not supported by these models',
  function_call: 'function calling is not supported by these models',
  response_format: 'structured output (response_format) is not supported',
  audio: 'audio output is not supported',
  modalities: 'only text output is supported',
  prediction: 'predicted outputs are not supported',
};

const UsageSchema = z.object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int(), total_tokens: z.number().int() }).meta({ id: 'Usage' });
const FinishReason = z.enum(['stop', 'length', 'content_filter']).nullable();

export const CompletionResponseSchema = z
  .object({
    id: z.string(),
    object: z.literal('text_completion'),
    created: z.number().int(),
    model: z.string().describe('The exact version that served the request, e.g. `sotu@3`.'),
    choices: z.array(z.object({ index: z.number().int(), text: z.string(), logprobs: z.null(), finish_reason: FinishReason })),
    usage: UsageSchema.nullable().optional(),
  })
  .meta({ id: 'CompletionResponse' });

export const ChatCompletionResponseSchema = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({ role: z.literal('assistant'), content: z.string(), refusal: z.null() }),
        logprobs: z.null(),
        finish_reason: FinishReason,
      }),
    ),
    usage: UsageSchema,
  })
  .meta({ id: 'ChatCompletionResponse' });

export const ModelListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(z.object({ id: z.string(), object: z.literal('model'), created: z.number().int(), owned_by: z.string() })),
  })
  .meta({ id: 'ModelList' });

export const ErrorResponseSchema = z
  .object({
    error: z.object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable() }),
  })
  .meta({ id: 'ErrorResponse' });
