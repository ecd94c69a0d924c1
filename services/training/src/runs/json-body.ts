/**
 * The request body as JSON, whether or not the host installed Nest's body parsers: `crucible up`
 * turns them off (ingestion reads raw bodies of any media type), so then the stream is read here.
 */
import type { Request } from 'express';
import { TrainingError } from '../training.errors';

/** Training requests are small; anything bigger is a mistake, not a model config. */
const MAX_BODY_BYTES = 1_000_000;

export async function readJsonBody(request: Request): Promise<unknown> {
  if (request.body !== undefined) return request.body;
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_BODY_BYTES) throw new TrainingError('invalid_body', `the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new TrainingError('invalid_body', `the body is not JSON: ${(error as Error).message}`);
  }
}
