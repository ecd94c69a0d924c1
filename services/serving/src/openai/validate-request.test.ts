import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../serving.errors';
import { ChatCompletionRequestSchema, CompletionRequestSchema } from './openai.schemas';
import { validateRequest } from './validate-request';

const refusal = (schema: typeof CompletionRequestSchema | typeof ChatCompletionRequestSchema, body: unknown) => {
  try {
    validateRequest(schema, body);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    const e = error as InvalidRequestError;
    return { status: e.status, param: e.param, code: e.code, message: e.message };
  }
  throw new Error('expected a refusal');
};

describe('validateRequest', () => {
  it('accepts what the openai client sends', () => {
    const ok = validateRequest(CompletionRequestSchema, { model: 'sotu', prompt: 'Hi', max_tokens: 5, stop: ['\n'], seed: 1, n: 1, stream: false, user: 'u1' });
    expect(ok.prompt).toBe('Hi');
    const chat = validateRequest(ChatCompletionRequestSchema, { model: 'sotu@2', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] });
    expect(chat.messages).toHaveLength(1);
  });

  it('names the parameter of the first problem, as OpenAI does', () => {
    expect(refusal(CompletionRequestSchema, { model: 'sotu', prompt: 'x', temperature: 3 })).toMatchObject({ status: 400, param: 'temperature', code: 'invalid_value' });
    expect(refusal(CompletionRequestSchema, { model: 'sotu' })).toMatchObject({ param: 'prompt', code: 'missing_required_parameter', message: "Missing required parameter: 'prompt'." });
    expect(refusal(ChatCompletionRequestSchema, { model: 'sotu', messages: [{ role: 'tool', content: 'x' }] })).toMatchObject({ param: 'messages[0].role' });
    expect(refusal(CompletionRequestSchema, { model: 'sotu', prompt: 'x', foo: 1 })).toMatchObject({ param: 'foo', code: 'unrecognized_argument' });
    expect(refusal(CompletionRequestSchema, { model: 'sotu', prompt: 'x', logprobs: 2 })).toMatchObject({ param: 'logprobs', code: 'unsupported_parameter' });
    expect(refusal(CompletionRequestSchema, { model: 'sotu', prompt: 'x', stop: ['a', 'b', 'c', 'd', 'e'] })).toMatchObject({ param: 'stop' });
    expect(refusal(CompletionRequestSchema, [1])).toMatchObject({ message: 'The request body must be a JSON object.' });
  });
});
