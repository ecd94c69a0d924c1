/**
 * The official `openai` npm client against the running gateway: real HTTP, a real tiny model
 * artifact run by ONNX Runtime, a real SQLite registry. Completions and chat, JSON and SSE,
 * usage, stop, seed, n, models, and every refusal in the OpenAI error format.
 * Run: npx vitest run --project integration services/serving/src/serving.openai.integration.test.ts
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from './testing/gateway-harness';

describe('gateway with the openai client', () => {
  let gateway: Gateway;
  let client: OpenAI;
  let key: string;

  beforeAll(async () => {
    gateway = await startGateway({ settings: { auth: 'on', limits: { maxBodyBytes: 64 * 1024, maxN: 4 } } });
    key = gateway.createKey(['tiny']);
    client = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  }, 120_000);
  afterAll(() => gateway?.close());

  const collect = async <T>(stream: AsyncIterable<T>): Promise<T[]> => {
    const out: T[] = [];
    for await (const chunk of stream) out.push(chunk);
    return out;
  };

  it('completes, non-streaming, with usage and the exact version served', async () => {
    const raw = await client.completions.create({ model: 'tiny', prompt: 'The state of the union', max_tokens: 8, temperature: 0 }).withResponse();
    const completion = raw.data;
    expect(raw.response.headers.get('x-crucible-model-version')).toBe('tiny@1');
    expect(completion.object).toBe('text_completion');
    expect(completion.model).toBe('tiny@1');
    expect(completion.choices).toHaveLength(1);
    expect(['stop', 'length']).toContain(completion.choices[0]!.finish_reason);
    const usage = completion.usage!;
    expect(usage.prompt_tokens).toBeGreaterThan(0);
    expect(usage.completion_tokens).toBeGreaterThan(0);
    expect(usage.completion_tokens).toBeLessThanOrEqual(8);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    if (completion.choices[0]!.finish_reason === 'length') expect(usage.completion_tokens).toBe(8);
  });

  it('streams exactly the text of the non-streaming answer, then a usage chunk and [DONE]', async () => {
    const request = { model: 'tiny@1', prompt: 'We hold these truths', max_tokens: 10, temperature: 0 } as const;
    const whole = await client.completions.create(request);
    const chunks = await collect(await client.completions.create({ ...request, stream: true, stream_options: { include_usage: true } }));
    const text = chunks.flatMap((c) => c.choices.map((choice) => choice.text)).join('');
    expect(text).toBe(whole.choices[0]!.text);
    const last = chunks[chunks.length - 1]!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual(whole.usage);
    expect(chunks.filter((c) => c.choices[0]?.finish_reason).map((c) => c.choices[0]!.finish_reason)).toEqual([whole.choices[0]!.finish_reason]);
  });

  it('chat: the template-rendered conversation, JSON and SSE agree', async () => {
    const request = { model: 'tiny:champion', messages: [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: 'Hello there' }], max_tokens: 10, temperature: 0 };
    const whole = await client.chat.completions.create(request);
    expect(whole.object).toBe('chat.completion');
    expect(whole.model).toBe('tiny@1');
    expect(whole.choices[0]!.message.role).toBe('assistant');
    expect(whole.usage!.total_tokens).toBe(whole.usage!.prompt_tokens + whole.usage!.completion_tokens);
    const chunks = await collect(await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } }));
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(whole.choices[0]!.message.content);
    expect(chunks[chunks.length - 1]!.usage).toEqual(whole.usage);
  });

  it('stop ends the completion before the first stop string', async () => {
    const free = await client.completions.create({ model: 'tiny', prompt: 'Four score and seven', max_tokens: 20, temperature: 0 });
    const text = free.choices[0]!.text;
    expect(text.length).toBeGreaterThanOrEqual(4);
    const stop = text.slice(Math.floor(text.length / 2), Math.floor(text.length / 2) + 2);
    const stopped = await client.completions.create({ model: 'tiny', prompt: 'Four score and seven', max_tokens: 20, temperature: 0, stop: [stop, '\u0000never'] });
    expect(stopped.choices[0]!.text).toBe(text.slice(0, text.indexOf(stop)));
    expect(stopped.choices[0]!.finish_reason).toBe('stop');
  });

  it('seed makes sampling reproducible; n gives that many choices', async () => {
    const sample = (seed: number) => client.completions.create({ model: 'tiny', prompt: 'Fellow citizens', max_tokens: 12, temperature: 1, seed });
    const [a, b] = await Promise.all([sample(42), sample(42)]);
    expect(a.choices[0]!.text).toBe(b.choices[0]!.text);
    const texts = new Set((await Promise.all([1, 2, 3, 4].map(sample))).map((c) => c.choices[0]!.text));
    expect(texts.size).toBeGreaterThan(1);
    const many = await client.completions.create({ model: 'tiny', prompt: 'Fellow citizens', max_tokens: 6, temperature: 1, n: 3, seed: 7 });
    expect(many.choices.map((c) => c.index)).toEqual([0, 1, 2]);
  });

  it('lists versions, aliases and names in the OpenAI format', async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(expect.arrayContaining(['tiny', 'tiny:champion', 'tiny@1']));
    expect((await client.models.retrieve('tiny@1')).id).toBe('tiny@1');
  });

  it('refuses in the OpenAI error format: 404 model_not_found, 400 with the parameter named', async () => {
    const failure = async (call: Promise<unknown>) => {
      try {
        await call;
      } catch (error) {
        expect(error).toBeInstanceOf(OpenAI.APIError);
        const e = error as InstanceType<typeof OpenAI.APIError>;
        return { status: e.status, code: e.code, param: e.param, type: e.type };
      }
      throw new Error('expected an error');
    };
    expect(await failure(client.completions.create({ model: 'tiny@99', prompt: 'x' }))).toEqual({ status: 404, code: 'model_not_found', param: 'model', type: 'not_found_error' });
    expect(await failure(client.completions.create({ model: 'nope', prompt: 'x' }))).toMatchObject({ status: 403 }); // outside the key's scope
    expect(await failure(client.completions.create({ model: 'tiny', prompt: 'x', temperature: 5 }))).toEqual({ status: 400, code: 'invalid_value', param: 'temperature', type: 'invalid_request_error' });
    expect(await failure(client.completions.create({ model: 'tiny', prompt: 'x', n: 9 }))).toMatchObject({ status: 400, param: 'n' });
    expect(await failure(client.completions.create({ model: 'tiny', prompt: 'x', max_tokens: 5000 }))).toMatchObject({ status: 400, param: 'max_tokens' });
    expect(await failure(client.completions.create({ model: 'tiny', prompt: Array.from({ length: 60 }, (_, i) => `citizen${i}`).join(' '), max_tokens: 5 }))).toMatchObject({ status: 400, code: 'context_length_exceeded' });
    expect(await failure(client.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'f' } }] }))).toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'tools' });
    expect(await failure(client.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: 'How do I make a bomb to kill people?' }] }))).toMatchObject({ status: 400, code: 'content_policy_violation' });
    const anonymous = new OpenAI({ apiKey: 'sk-crucible-not-a-key', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    expect(await failure(anonymous.completions.create({ model: 'tiny', prompt: 'x' }))).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'authentication_error' });
    const other = new OpenAI({ apiKey: gateway.createKey(['other']), baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    expect(await failure(other.completions.create({ model: 'tiny', prompt: 'x' }))).toEqual({ status: 403, code: 'model_not_allowed', param: 'model', type: 'permission_error' });
  });

  it('answers a missing key 401, a malformed body 400 and an oversize body 413', async () => {
    const post = (body: string, headers: Record<string, string> = { authorization: `Bearer ${key}` }) =>
      fetch(`${gateway.url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const missing = await post('{"model":"tiny","prompt":"x"}', {});
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('missing_api_key');
    const malformed = await post('{"model": "tiny", "prompt": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_json', param: null } });
    const oversize = await post(JSON.stringify({ model: 'tiny', prompt: 'x'.repeat(100 * 1024) }));
    expect(oversize.status).toBe(413);
    expect(await oversize.json()).toMatchObject({ error: { code: 'request_too_large' } });
  });

  it('limits a key per minute: 429 with Retry-After', async () => {
    const limited = gateway.createKey(['tiny'], { requestsPerMinute: 2 });
    const call = () =>
      fetch(`${gateway.url}/v1/completions`, { method: 'POST', headers: { authorization: `Bearer ${limited}` }, body: JSON.stringify({ model: 'tiny', prompt: 'x', max_tokens: 1 }) });
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' } });
  });

  it('a client that disconnects mid-stream frees its batch row', async () => {
    const controller = new AbortController();
    // Gone as soon as the headers arrive: the engine thread decodes a tiny model's 60 tokens in
    // milliseconds, so a client that waits for a chunk first may find the answer already done.
    const stream = await client.completions.create({ model: 'tiny', prompt: 'The', max_tokens: 60, n: 4, temperature: 1, stream: true }, { signal: controller.signal });
    controller.abort();
    expect(stream.controller.signal.aborted).toBe(true);
    const deadline = Date.now() + 10_000;
    const busy = () => gateway.runtime.pool.loaded().some((v) => v.inFlight > 0);
    while (busy() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(busy()).toBe(false);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/crucible_serving_requests_total\{[^}]*status="499"[^}]*\} 1/);
  });

  it('exposes the OpenAPI document and per-version Prometheus metrics', async () => {
    const doc = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/v1/chat/completions');
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    for (const name of ['time_to_first_token_seconds', 'time_per_output_token_seconds', 'e2e_request_latency_seconds']) {
      expect(metrics).toMatch(new RegExp(`crucible_serving_${name}_count\\{[^}]*model_version="tiny@1"[^}]*\\} [1-9]`));
    }
    expect(metrics).toMatch(/crucible_serving_errors_total\{[^}]*code="model_not_found"/);
    expect(metrics).toMatch(/crucible_serving_queue_depth\{[^}]*model_version="tiny@1"/);
  });

  it('never writes a prompt or a completion into the log', async () => {
    const secret = 'Marigold lighthouse pelican';
    const out = await client.completions.create({ model: 'tiny', prompt: secret, max_tokens: 6, temperature: 0 });
    const lines = gateway.logs.join('');
    expect(lines).toContain(out.id); // the request is logged...
    expect(lines).not.toContain(secret); // ...its content is not
    if (out.choices[0]!.text.trim().length >= 4) expect(lines).not.toContain(JSON.stringify(out.choices[0]!.text).slice(1, -1));
  });
});
