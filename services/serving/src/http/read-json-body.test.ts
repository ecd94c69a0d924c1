import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MalformedJsonError, RequestTooLargeError } from '../serving.errors';
import { readJsonBody } from './read-json-body';

/** An IncomingMessage fed by hand: headers, then the chunks, then the end. */
function message(chunks: readonly string[], headers: Record<string, string> = {}): IncomingMessage {
  const request = new IncomingMessage(new Socket());
  request.headers = headers;
  setImmediate(() => {
    for (const c of chunks) request.push(Buffer.from(c));
    request.push(null);
  });
  return request;
}

describe('readJsonBody', () => {
  it('parses a body that arrives in pieces', async () => {
    await expect(readJsonBody(message(['{"model":', '"m","n":', '2}']), 1_000)).resolves.toEqual({ model: 'm', n: 2 });
  });

  it('refuses a declared length over the limit before reading', async () => {
    await expect(readJsonBody(message(['{}'], { 'content-length': '5000' }), 1_000)).rejects.toBeInstanceOf(RequestTooLargeError);
  });

  it('stops reading once an undeclared body passes the limit', async () => {
    await expect(readJsonBody(message(['{"a":"', 'x'.repeat(600), 'x'.repeat(600), '"}']), 1_000)).rejects.toBeInstanceOf(RequestTooLargeError);
  });

  it('names what is wrong with an empty or broken body', async () => {
    await expect(readJsonBody(message(['  ']), 1_000)).rejects.toThrow(new MalformedJsonError('the body is empty'));
    await expect(readJsonBody(message(['{"model": ']), 1_000)).rejects.toBeInstanceOf(MalformedJsonError);
  });

  it('uses a body the host application already parsed', async () => {
    const request = Object.assign(message([]), { body: { parsed: true } });
    await new Promise((r) => request.once('end', r).resume());
    await expect(readJsonBody(request, 1_000)).resolves.toEqual({ parsed: true });
  });
});
