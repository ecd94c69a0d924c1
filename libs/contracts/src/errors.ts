/**
 * Typed errors shared by every stage. Each carries a literal `code` that callers switch on
 * and a `retriable` flag the bus reads: a retriable failure is retried with backoff, a
 * non-retriable one goes straight to the dead-letter topic.
 */
export type ErrorCode =
  | 'invalid_event'
  | 'invalid_document'
  | 'document_too_large'
  | 'unsupported_media_type'
  | 'unknown_topic'
  | 'transport_unavailable'
  | 'handler_failed'
  | 'config_invalid'
  | 'not_found'
  | 'conflict';

export interface Issue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * The base of every typed error. `C` narrows the codes of a subsystem (e.g. the registry's
 * `unknown_model_version`) without widening the shared `ErrorCode` union for everyone.
 */
export class CrucibleError<C extends string = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly retriable: boolean,
    readonly issues: readonly Issue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An event or document that can never succeed as it is: retrying cannot help. */
export class ValidationError extends CrucibleError {
  constructor(message: string, issues: readonly Issue[] = [], code: ErrorCode = 'invalid_event') {
    super(code, message, false, issues);
  }
}

export class DocumentTooLargeError extends CrucibleError {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super('document_too_large', `document is ${bytes} bytes; the limit is ${limit}`, false);
  }
}

export class UnsupportedMediaTypeError extends CrucibleError {
  constructor(readonly mediaType: string) {
    super('unsupported_media_type', `unsupported media type '${mediaType}'`, false);
  }
}

/** The broker or store is unreachable; the same call may succeed later. */
export class TransportUnavailableError extends CrucibleError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('transport_unavailable', message, true, [], options);
  }
}

export class NotFoundError extends CrucibleError {
  constructor(message: string) {
    super('not_found', message, false);
  }
}

export class ConfigError extends CrucibleError {
  constructor(issues: readonly Issue[]) {
    super(
      'config_invalid',
      `invalid configuration:\n${issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}`,
      false,
      issues,
    );
  }
}

/**
 * Whether a failure is worth retrying: typed errors say so — ours, and any error carrying a
 * boolean `retriable` (the ML libs' errors do, without depending on the contracts); unknown
 * errors are assumed transient.
 */
export const isRetriable = (error: unknown): boolean =>
  error instanceof CrucibleError
    ? error.retriable
    : typeof error === 'object' && error !== null && typeof (error as { retriable?: unknown }).retriable === 'boolean'
      ? (error as { retriable: boolean }).retriable
      : true;
