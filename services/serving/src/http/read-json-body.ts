/**
 * A JSON request body with a byte limit: a declared Content-Length over the limit is refused
 * before reading (413), otherwise reading stops as soon as the limit is passed. When the host
 * application already parsed the body (Nest's JSON parser on), that parse is used as is. Read
 * with stream events rather than `for await`: the async iterator costs a few promise turns per
 * chunk, and a completion's body is on the latency path.
 */
import type { IncomingMessage } from 'node:http';
import { MalformedJsonError, RequestTooLargeError } from '../serving.errors';

export function readJsonBody(request: IncomingMessage & { body?: unknown }, limit: number): Promise<unknown> {
  if (request.body !== undefined && request.readableEnded) return Promise.resolve(request.body);
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    return Promise.reject(new RequestTooLargeError(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total <= limit) return void chunks.push(chunk);
      request.off('data', onData).resume();
      reject(new RequestTooLargeError(limit));
    };
    request.on('data', onData);
    request.once('error', reject);
    request.once('end', () => {
      if (total > limit) return;
      const text = Buffer.concat(chunks, total).toString('utf8');
      if (text.trim() === '') return reject(new MalformedJsonError('the body is empty'));
      try {
        resolve(JSON.parse(text));
      } catch (error) {
        reject(new MalformedJsonError((error as Error).message));
      }
    });
  });
}
