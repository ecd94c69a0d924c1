/**
 * multipart/form-data (RFC 7578) with busboy: file parts become documents, text fields
 * become metadata shared by those documents. busboy's types are re-declared here so the
 * parser stays swappable; it is loaded lazily.
 */
import { MalformedBodyError } from '../document/ingestion.errors';

export interface UploadedFile {
  readonly field: string;
  readonly filename: string;
  /** The part's declared type, without parameters (busboy drops them), or undefined. */
  readonly mimeType: string | undefined;
  readonly data: Buffer;
}

export interface MultipartBody {
  readonly files: UploadedFile[];
  readonly fields: Record<string, string>;
}

interface BusboyFileInfo {
  filename?: string;
  encoding: string;
  mimeType: string;
}
interface BusboyStream {
  on(event: 'file', listener: (field: string, stream: NodeJS.ReadableStream, info: BusboyFileInfo) => void): this;
  on(event: 'field', listener: (field: string, value: string) => void): this;
  on(event: 'close', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  end(chunk: Buffer): void;
}
type BusboyFactory = (config: { headers: Record<string, string>; preservePath?: boolean; defParamCharset?: string }) => BusboyStream;

// Loaded lazily, like the Kafka client in libs/bus, so the parser stays behind this file.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadBusboy = (): BusboyFactory => require('busboy') as BusboyFactory;

export function parseMultipart(body: Buffer, contentType: string): Promise<MultipartBody> {
  let parser: BusboyStream;
  try {
    parser = loadBusboy()({ headers: { 'content-type': contentType }, defParamCharset: 'utf8' });
  } catch (error) {
    return Promise.reject(new MalformedBodyError(`malformed multipart/form-data: ${(error as Error).message}`));
  }
  return new Promise((resolve, reject) => {
    const files: UploadedFile[] = [];
    const fields: Record<string, string> = {};
    const pending: Promise<void>[] = [];
    parser.on('file', (field, stream, info) => {
      pending.push(
        new Promise((done, fail) => {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', fail);
          stream.on('end', () => {
            const data = Buffer.concat(chunks);
            // A browser form with no file chosen sends an empty part with an empty filename.
            if (info.filename || data.length > 0) {
              // RFC 7578 §4.4: a part without Content-Type is text/plain; busboy reports that default too.
              files.push({ field, filename: info.filename ?? '', mimeType: info.mimeType || undefined, data });
            }
            done();
          });
        }),
      );
    });
    parser.on('field', (field, value) => {
      fields[field] = value;
    });
    parser.on('error', (error) => reject(new MalformedBodyError(`malformed multipart/form-data: ${error.message}`)));
    parser.on('close', () => {
      Promise.all(pending).then(() => resolve({ files, fields }), reject);
    });
    parser.end(body);
  });
}
