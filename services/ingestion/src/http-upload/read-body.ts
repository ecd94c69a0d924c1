/**
 * Reads a request body into memory with a byte limit. A declared Content-Length over the
 * limit is refused before a byte is read; otherwise reading stops as soon as the limit is
 * passed (the rest is drained and discarded so the client still receives the 413). The
 * limit applies after Content-Encoding (gzip, deflate, br) is undone, so a compressed bomb
 * is stopped at the same size as an uncompressed body.
 */
import { UnsupportedMediaTypeError } from '@crucible/contracts';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { RequestTooLargeError } from '../document/ingestion.errors';

const DECODERS: Readonly<Record<string, () => NodeJS.ReadWriteStream>> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const declared = Number(request.headers['content-length']);
  if (encoding === 'identity' && Number.isFinite(declared) && declared > limit) {
    request.resume();
    throw new RequestTooLargeError(limit);
  }
  let source: Readable = request;
  if (encoding !== 'identity') {
    const decoder = DECODERS[encoding];
    if (!decoder) {
      request.resume();
      throw new UnsupportedMediaTypeError(`content-encoding ${encoding}`);
    }
    source = request.pipe(decoder()) as unknown as Readable;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of source) {
      total += (chunk as Buffer).length;
      if (total > limit) {
        if (source !== request) source.destroy();
        request.resume();
        throw new RequestTooLargeError(limit);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof RequestTooLargeError) throw error;
    if (encoding !== 'identity') {
      throw new UnsupportedMediaTypeError(`content-encoding ${encoding} (the body does not decode: ${(error as Error).message})`);
    }
    throw error;
  }
  return Buffer.concat(chunks, total);
}
