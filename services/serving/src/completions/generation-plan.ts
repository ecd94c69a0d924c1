/**
 * From a validated OpenAI request and the model version that will serve it to what the
 * scheduler runs: rendered and encoded prompts (chat through the model's template), the
 * completion budget within the context and the server's bounds, sampling, seeds and stops.
 */
import type { TextModel } from '@crucible/model-artifact';
import { randomInt } from 'node:crypto';
import type { SequenceRequest } from '../engine/sequence';
import type { ChatCompletionRequest, CompletionRequest } from '../openai/openai.schemas';
import { ContextLengthError, InvalidRequestError } from '../serving.errors';
import type { ServingSettings } from '../serving.settings';
import type { Endpoint } from './response-format';

export type ValidatedRequest = { endpoint: 'completions'; body: CompletionRequest } | { endpoint: 'chat'; body: ChatCompletionRequest };

export interface ChatTurn {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface GenerationPlan {
  readonly endpoint: Endpoint;
  /** One per choice: prompt p's choices are p·n … p·n + n − 1, as OpenAI orders them. */
  readonly sequences: readonly SequenceRequest[];
  /** Prompt tokens of the request (each prompt once, however many choices it has). */
  readonly promptTokens: number;
  /** What the rate limiter reserves: every choice's prompt and full completion budget. */
  readonly reservedTokens: number;
  readonly stream: boolean;
  readonly includeUsage: boolean;
  /** The system prompt, for the output guardrail's leakage check. */
  readonly systemPrompt?: string;
  /** The rendered prompts (only ever logged when SERVING_LOG_CONTENT=true). */
  readonly promptTexts: readonly string[];
}

/** Chat messages as plain turns: text parts joined, `developer` is the newer name of `system`. */
export function chatTurns(body: ChatCompletionRequest): ChatTurn[] {
  return body.messages.map((m) => ({
    role: m.role === 'developer' ? 'system' : m.role,
    content: typeof m.content === 'string' ? m.content : m.content.map((p) => p.text).join(''),
  }));
}

export function planGeneration(request: ValidatedRequest, model: TextModel, settings: ServingSettings, prompts: readonly string[]): GenerationPlan {
  const { body } = request;
  const limits = settings.limits;
  const n = body.n ?? 1;
  if (n > limits.maxN) throw new InvalidRequestError(`Invalid value for 'n': ${n} is more than this server's limit of ${limits.maxN} choices.`, 'n');
  const explicit = (request.endpoint === 'chat' ? request.body.max_completion_tokens : undefined) ?? body.max_tokens ?? undefined;
  const maxParam = request.endpoint === 'chat' && request.body.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens';
  if (explicit !== undefined && explicit > limits.maxTokens) {
    throw new InvalidRequestError(`Invalid value for '${maxParam}': ${explicit} is more than this server's limit of ${limits.maxTokens} tokens.`, maxParam);
  }
  const context = model.config.contextLength;
  const promptParam = request.endpoint === 'chat' ? 'messages' : 'prompt';
  const chatStops = request.endpoint === 'chat' ? model.lineage.chatTemplate.stop : [];
  const stops = [...(body.stop == null ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop), ...chatStops].filter((s) => s.length > 0);
  const fallback = request.endpoint === 'chat' ? limits.defaultChatTokens : limits.defaultCompletionTokens;
  const baseSeed = body.seed ?? randomInt(0, 2 ** 31);
  // A JSON answer shows nothing before its end (the engine thread ends a row on a stop string
  // itself, so it need not hand tokens over for the main thread to look for one); a guarded
  // stream shows text once per guardrail chunk (OutputGuard), so the engine thread gathers that
  // many tokens per message: each message wakes this thread, and wake-ups cost decode time.
  const deliverEvery = !body.stream ? Number.POSITIVE_INFINITY : settings.guardrails ? settings.guardrailChunkTokens : 1;

  const encoded = prompts.map((text) => {
    const ids = model.encode(text);
    return ids.length > 0 ? ids : [model.eotToken ?? 0];
  });
  const sequences: SequenceRequest[] = [];
  let reservedTokens = 0;
  encoded.forEach((ids, p) => {
    if (ids.length >= context) throw new ContextLengthError(ids.length, context, promptParam);
    if (explicit !== undefined && ids.length + explicit > context) {
      throw new InvalidRequestError(
        `This model's maximum context length is ${context} tokens. However, you requested ${ids.length + explicit} tokens (${ids.length} in the ${promptParam}, ${explicit} for the completion). Please reduce the length of the ${promptParam} or the completion.`,
        maxParam,
        'context_length_exceeded',
      );
    }
    const maxTokens = explicit ?? Math.min(fallback, limits.maxTokens, context - ids.length);
    for (let j = 0; j < n; j++) {
      const index = p * n + j;
      sequences.push({
        promptTokens: ids,
        maxTokens,
        sampling: { temperature: body.temperature ?? 1, topP: body.top_p ?? 1 },
        // Each choice its own stream of randomness, all derived from the request's seed.
        seed: (baseSeed + index) % 2 ** 31,
        stop: stops,
        deliverEvery,
      });
      reservedTokens += ids.length + maxTokens;
    }
  });
  const systemPrompt = request.endpoint === 'chat' ? chatTurns(request.body).find((t) => t.role === 'system')?.content : undefined;
  return {
    endpoint: request.endpoint,
    sequences,
    promptTokens: encoded.reduce((k, ids) => k + ids.length, 0),
    reservedTokens,
    stream: body.stream ?? false,
    includeUsage: body.stream_options?.include_usage ?? false,
    ...(systemPrompt !== undefined && { systemPrompt }),
    promptTexts: prompts,
  };
}
