/**
 * The OpenAI response and stream-chunk shapes for `/v1/completions` (`text_completion`) and
 * `/v1/chat/completions` (`chat.completion`, `chat.completion.chunk`), so the two endpoints
 * share one generation path and differ only here.
 */
import { randomFillSync } from 'node:crypto';

export type Endpoint = 'completions' | 'chat';
export type ClientFinishReason = 'stop' | 'length' | 'content_filter';

export interface Usage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
}

export interface ResponseHead {
  readonly endpoint: Endpoint;
  readonly id: string;
  readonly created: number;
  /** The exact version served. */
  readonly model: string;
}

/**
 * Completion ids carry the version that produced them (`chatcmpl-<random>.<version, base64url>`),
 * so feedback on a completion finds its version on any replica, after any restart.
 */
export function completionId(endpoint: Endpoint, versionId: string): string {
  return `${endpoint === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomHex(12)}.${Buffer.from(versionId).toString('base64url')}`;
}

// Random bytes drawn 4 KiB at a time, as node:crypto's randomUUID does: a call into OpenSSL
// costs ~50 µs on a request's cold cache (2.7% of the main thread's time per short completion,
// profiled), one call per ~340 ids costs nothing.
const randomPool = Buffer.alloc(4096);
let randomAt = randomPool.length;

function randomHex(bytes: number): string {
  if (randomAt + bytes > randomPool.length) {
    randomFillSync(randomPool);
    randomAt = 0;
  }
  randomAt += bytes;
  return randomPool.toString('hex', randomAt - bytes, randomAt);
}

export function versionOfCompletionId(id: string): string | undefined {
  const match = /^(?:chat)?cmpl-[0-9a-f]{24}\.([A-Za-z0-9_-]+)$/.exec(id);
  return match ? Buffer.from(match[1]!, 'base64url').toString('utf8') : undefined;
}

export function usageOf(promptTokens: number, completionTokens: number): Usage {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

export function responseBody(head: ResponseHead, choices: readonly { text: string; finish: ClientFinishReason }[], usage: Usage) {
  const common = { id: head.id, created: head.created, model: head.model, system_fingerprint: head.model };
  if (head.endpoint === 'completions') {
    return { ...common, object: 'text_completion', choices: choices.map((c, index) => ({ index, text: c.text, logprobs: null, finish_reason: c.finish })), usage };
  }
  return {
    ...common,
    object: 'chat.completion',
    choices: choices.map((c, index) => ({ index, message: { role: 'assistant', content: c.text, refusal: null }, logprobs: null, finish_reason: c.finish })),
    usage,
  };
}

/** One stream chunk: text for a choice, or its end (`finish` set), or (chat) the opening role delta. */
export function chunkBody(head: ResponseHead, index: number, part: { text?: string; finish?: ClientFinishReason; role?: true }, includeUsage: boolean) {
  const common = { id: head.id, created: head.created, model: head.model, system_fingerprint: head.model, ...(includeUsage && { usage: null }) };
  if (head.endpoint === 'completions') {
    return { ...common, object: 'text_completion', choices: [{ index, text: part.text ?? '', logprobs: null, finish_reason: part.finish ?? null }] };
  }
  const delta = part.role ? { role: 'assistant', content: '' } : part.text !== undefined ? { content: part.text } : {};
  return { ...common, object: 'chat.completion.chunk', choices: [{ index, delta, logprobs: null, finish_reason: part.finish ?? null }] };
}

/** The last chunk when `stream_options.include_usage`: no choices, the request's usage. */
export function usageChunk(head: ResponseHead, usage: Usage) {
  return {
    id: head.id,
    created: head.created,
    model: head.model,
    system_fingerprint: head.model,
    object: head.endpoint === 'completions' ? 'text_completion' : 'chat.completion.chunk',
    choices: [],
    usage,
  };
}
