/**
 * Content-Type parsing (RFC 9110 §8.3) and the mapping from what callers send to the
 * document media types of the contract: text/plain, text/html, text/markdown, application/json.
 */
import { type MediaType, MediaTypeSchema, UnsupportedMediaTypeError } from '@crucible/contracts';
import { extname } from 'node:path';

export interface ContentType {
  /** Lower-cased `type/subtype`, parameters removed. */
  readonly essence: string;
  readonly params: Readonly<Record<string, string>>;
}

export function parseContentType(header: string | undefined): ContentType | undefined {
  if (!header) return undefined;
  const [essence = '', ...rest] = header.split(';');
  const params: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    if (name) params[name] = value;
  }
  return { essence: essence.trim().toLowerCase(), params };
}

/** Aliases seen in the wild for the contract's media types. */
const DOCUMENT_TYPE_ALIASES: Readonly<Record<string, MediaType>> = {
  'text/plain': 'text/plain',
  'text/html': 'text/html',
  'application/xhtml+xml': 'text/html',
  'text/markdown': 'text/markdown',
  'text/x-markdown': 'text/markdown',
  'application/json': 'application/json',
};

const EXTENSIONS: Readonly<Record<string, MediaType>> = {
  '.txt': 'text/plain',
  '.text': 'text/plain',
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.json': 'application/json',
};

export const SUPPORTED_DOCUMENT_TYPES: readonly MediaType[] = MediaTypeSchema.options;

/** The document media type an essence stands for, if any. */
export const documentTypeOf = (essence: string | undefined): MediaType | undefined =>
  essence ? DOCUMENT_TYPE_ALIASES[essence.toLowerCase()] : undefined;

/** The document media type of a file name's extension, if any. */
export const documentTypeOfFile = (name: string | undefined): MediaType | undefined =>
  name ? EXTENSIONS[extname(name).toLowerCase()] : undefined;

/**
 * The media type of an uploaded file: its declared type when that is a document type, else
 * (no type, or a generic one such as application/octet-stream that curl sends for unknown
 * extensions) the file extension; otherwise it is unsupported.
 */
export function resolveFileMediaType(declared: string | undefined, filename: string | undefined): MediaType {
  const fromDeclared = documentTypeOf(parseContentType(declared)?.essence);
  if (fromDeclared) return fromDeclared;
  const fromName = documentTypeOfFile(filename);
  if (fromName) return fromName;
  throw new UnsupportedMediaTypeError(`${declared || '(none)'} for file '${filename ?? ''}'`);
}
