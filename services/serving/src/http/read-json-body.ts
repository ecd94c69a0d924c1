/**
 * A JSON request body with a byte limit: a declared Content-Length over the limit is refused
 * before reading (413), otherwise reading stops as soon as the limit is passed. When the host
 * application already parsed the body (Nest's JSON parser on), that parse is used as is.
 */
import type { IncomingMessage } from 'node:http';
import { MalformedJsonError, RequestTooLargeError } from '../serving.errors';

export async function readJsonBody(request: IncomingMessage & { body?: unknown }, limit: number): Promise<unknown> {
  if (request.body !== undefined && request.readableEnded) return request.body;
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    throw new RequestTooLargeError(limit);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      request.resume();
      throw new RequestTooLargeError(limit);
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks, total).toString('utf8');
  if (text.trim() === '') throw new MalformedJsonError('the body is empty');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedJsonError((error as Error).message);
  }
}
