/**
 * Typed errors of the tokenizer, after tiktoken's small error set: each has a literal `code`
 * callers switch on and `retriable` (always false here: the same input fails the same way).
 */
export class DisallowedSpecialTokenError extends Error {
  readonly code = 'disallowed_special_token' as const;
  readonly retriable = false;
  constructor(readonly token: string) {
    super(
      `the text contains the special token ${JSON.stringify(token)}, which is not allowed; ` +
        `pass it in allowedSpecial to encode it as a special token, or remove it from disallowedSpecial to encode it as text`,
    );
    this.name = 'DisallowedSpecialTokenError';
  }
}

export class DecodeKeyError extends Error {
  readonly code = 'decode_key' as const;
  readonly retriable = false;
  constructor(readonly token: number) {
    super(`token id ${token} is not in the vocabulary`);
    this.name = 'DecodeKeyError';
  }
}

/** A tokenizer file that cannot be read: wrong format, unknown version, or inconsistent content. */
export class TokenizerFormatError extends Error {
  readonly code = 'tokenizer_format' as const;
  readonly retriable = false;
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(path === undefined ? message : `${path}: ${message}`);
    this.name = 'TokenizerFormatError';
  }
}

/** A vocabulary or trainer configuration that cannot work (e.g. a byte without a token). */
export class TokenizerConfigError extends Error {
  readonly code = 'tokenizer_config' as const;
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'TokenizerConfigError';
  }
}
