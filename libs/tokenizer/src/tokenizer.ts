/**
 * A byte-level BPE tokenizer: regex pre-tokenisation, BPE merges over UTF-8 bytes, special
 * tokens. Token ids equal tiktoken's (and js-tiktoken's) for the same vocabulary and pattern.
 *
 * Speed comes from (1) a bounded cache from pre-token text to ids — natural text repeats its
 * words, so most pre-tokens skip UTF-8 encoding and merging — (2) integer pair lookups in a
 * PairTable instead of string keys, (3) ASCII pre-tokens used directly as byte keys.
 *
 * Offsets are UTF-16 code-unit offsets into the source string (what String#slice takes),
 * [start, end). A token covering only part of a multi-byte character is given the whole
 * character: its start is the start of the character holding its first byte and its end the
 * end of the character holding its last byte, so two tokens that split one character both
 * cover it (Hugging Face `tokenizers` does the same).
 */
import { bytePairMerge, MergeScratch } from './byte-pair-merge';
import type { BpeModel } from './bpe-model';
import { compilePattern } from './patterns';
import { resolveSelection, specialTokenRegex, type SpecialSelection } from './special-tokens';
import { DecodeKeyError, DisallowedSpecialTokenError, TokenizerConfigError } from './tokenizer.errors';
import { encodeUtf8Into, encodeUtf8WithSpans, latin1Key } from './utf8';

export interface EncodeOptions {
  /** Special tokens to encode as their special id. Default: none. */
  readonly allowedSpecial?: SpecialSelection;
  /** Special tokens whose presence is an error. Default 'all' (every special token not allowed). */
  readonly disallowedSpecial?: SpecialSelection;
}

export interface TokenizerInit {
  readonly name: string;
  /** Pre-tokenisation regex source (see patterns.ts). */
  readonly pattern: string;
  readonly model: BpeModel;
  readonly specialTokens?: Readonly<Record<string, number>>;
  /** Name of the end-of-text special token; default `<|endoftext|>` when present. */
  readonly eotName?: string;
}

export interface EncodingWithOffsets {
  readonly ids: number[];
  /** Per token, [start, end) in UTF-16 code units of the source text. */
  readonly offsets: [number, number][];
}

/** Pre-tokens cached per generation; two generations bound memory to ≈ 2 × this many entries. */
const CACHE_GENERATION = 1 << 16;
/** Longer pre-tokens are not cached: they rarely repeat and would pin memory. */
const CACHE_MAX_PIECE = 256;

export class Tokenizer {
  readonly name: string;
  readonly pattern: string;
  readonly model: BpeModel;
  readonly specialTokens: ReadonlyMap<string, number>;
  /** Id of the end-of-text token (document separator in shards), if the vocabulary has one. */
  readonly eotToken: number | undefined;
  readonly vocabSize: number;

  private readonly regex: RegExp;
  private readonly specialBytes = new Map<number, Uint8Array>();
  private readonly specialRegexAll: RegExp | undefined;
  private cache = new Map<string, number | Int32Array>();
  private previousCache = new Map<string, number | Int32Array>();
  private bytes = new Uint8Array(1024);
  private ids = new Int32Array(1024);
  private unitStart = new Int32Array(1024);
  private unitEnd = new Int32Array(1024);
  private readonly mergeScratch = new MergeScratch();
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder('utf-8');

  constructor(init: TokenizerInit) {
    this.name = init.name;
    this.pattern = init.pattern;
    this.model = init.model;
    this.regex = compilePattern(init.pattern);
    const specials = new Map(Object.entries(init.specialTokens ?? {}));
    for (const [text, id] of specials) {
      const bytes = init.model.tokens[id];
      if (bytes !== undefined) throw new TokenizerConfigError(`special token ${text} reuses ordinary id ${id}`);
      this.specialBytes.set(id, this.encoder.encode(text));
    }
    this.specialTokens = specials;
    this.specialRegexAll = specialTokenRegex(specials.keys());
    this.eotToken = specials.get(init.eotName ?? '<|endoftext|>');
    this.vocabSize = Math.max(init.model.size, ...[...specials.values()].map((id) => id + 1));
  }

  /** Encodes text; special tokens follow `options` (by default any special token is an error). */
  encode(text: string, options: EncodeOptions = {}): number[] {
    const out: number[] = [];
    this.forEachSegment(text, options, (start, end) => this.encodeOrdinaryInto(text, start, end, out, undefined), (id) => out.push(id));
    return out;
  }

  /** Encodes text treating special-token strings as plain text. */
  encodeOrdinary(text: string): number[] {
    const out: number[] = [];
    this.encodeOrdinaryInto(text, 0, text.length, out, undefined);
    return out;
  }

  /** Like encode, plus each token's [start, end) UTF-16 offsets in `text` (convention above). */
  encodeWithOffsets(text: string, options: EncodeOptions = {}): EncodingWithOffsets {
    const ids: number[] = [];
    const offsets: [number, number][] = [];
    this.forEachSegment(
      text,
      options,
      (start, end) => this.encodeOrdinaryInto(text, start, end, ids, offsets),
      (id, start, end) => {
        ids.push(id);
        offsets.push([start, end]);
      },
    );
    return { ids, offsets };
  }

  /** UTF-8 bytes of the tokens; throws DecodeKeyError on an unknown id. */
  decodeBytes(ids: ArrayLike<number>): Uint8Array {
    let length = 0;
    for (let i = 0; i < ids.length; i++) length += this.tokenBytes(ids[i]!).length;
    const out = new Uint8Array(length);
    let at = 0;
    for (let i = 0; i < ids.length; i++) {
      const bytes = this.tokenBytes(ids[i]!);
      out.set(bytes, at);
      at += bytes.length;
    }
    return out;
  }

  /** Text of the tokens; byte sequences that are not valid UTF-8 decode to U+FFFD. */
  decode(ids: ArrayLike<number>): string {
    return this.decoder.decode(this.decodeBytes(ids));
  }

  /** The bytes of one token (ordinary or special). */
  tokenBytes(id: number): Uint8Array {
    const bytes = this.model.tokens[id] ?? this.specialBytes.get(id);
    if (bytes === undefined) throw new DecodeKeyError(id);
    return bytes;
  }

  isSpecial(id: number): boolean {
    return this.specialBytes.has(id);
  }

  /**
   * Splits text at allowed special tokens after rejecting disallowed ones; calls `ordinary` for
   * the text between them and `special` for each.
   */
  private forEachSegment(
    text: string,
    options: EncodeOptions,
    ordinary: (start: number, end: number) => void,
    special: (id: number, start: number, end: number) => void,
  ): void {
    if (this.specialRegexAll === undefined) {
      ordinary(0, text.length);
      return;
    }
    const allowed = resolveSelection(options.allowedSpecial, this.specialTokens);
    const disallowed =
      options.disallowedSpecial === undefined || options.disallowedSpecial === 'all'
        ? new Set([...this.specialTokens.keys()].filter((t) => !allowed.has(t)))
        : resolveSelection(options.disallowedSpecial, this.specialTokens);
    if (allowed.size === 0 && disallowed.size === 0) {
      ordinary(0, text.length);
      return;
    }
    const all = this.specialRegexAll;
    let start = 0;
    all.lastIndex = 0;
    for (let m = all.exec(text); m !== null; m = all.exec(text)) {
      const token = m[0];
      if (disallowed.has(token)) throw new DisallowedSpecialTokenError(token);
      if (!allowed.has(token)) {
        // Neither allowed nor disallowed: ordinary text; resume the search one unit later so an
        // allowed token overlapping this one is still found.
        all.lastIndex = m.index + 1;
        continue;
      }
      if (m.index > start) ordinary(start, m.index);
      special(this.specialTokens.get(token)!, m.index, m.index + token.length);
      start = m.index + token.length;
    }
    if (start < text.length) ordinary(start, text.length);
  }

  private encodeOrdinaryInto(
    text: string,
    start: number,
    end: number,
    out: number[],
    offsets: [number, number][] | undefined,
  ): void {
    const segment = start === 0 && end === text.length ? text : text.slice(start, end);
    const re = this.regex;
    re.lastIndex = 0;
    for (let m = re.exec(segment); m !== null; m = re.exec(segment)) {
      const piece = m[0];
      if (piece.length === 0) {
        re.lastIndex++;
        continue;
      }
      let ids = this.cache.get(piece);
      if (ids === undefined) ids = this.encodePiece(piece);
      if (typeof ids === 'number') out.push(ids);
      else for (let i = 0; i < ids.length; i++) out.push(ids[i]!);
      if (offsets !== undefined) this.pushOffsets(piece, start + m.index, ids, offsets);
    }
  }

  private encodePiece(piece: string): number | Int32Array {
    const old = this.previousCache.get(piece);
    if (old !== undefined) return this.remember(piece, old);
    if (this.bytes.length < piece.length * 3) {
      this.bytes = new Uint8Array(piece.length * 3);
      this.ids = new Int32Array(piece.length * 3);
    }
    const bytes = this.bytes;
    const n = encodeUtf8Into(piece, bytes);
    const model = this.model;
    if (n === 1) return this.remember(piece, model.byteIds[bytes[0]!]!);
    if (model.wholePieceLookup && n <= model.maxTokenBytes) {
      const whole = model.idByKey.get(n === piece.length ? piece : latin1Key(bytes, 0, n));
      if (whole !== undefined) return this.remember(piece, whole);
    }
    const ids = this.ids;
    for (let i = 0; i < n; i++) ids[i] = model.byteIds[bytes[i]!]!;
    const k = bytePairMerge(ids, n, model.table, this.mergeScratch);
    return this.remember(piece, k === 1 ? ids[0]! : ids.slice(0, k));
  }

  private remember(piece: string, ids: number | Int32Array): number | Int32Array {
    if (piece.length > CACHE_MAX_PIECE) return ids;
    if (this.cache.size >= CACHE_GENERATION) {
      this.previousCache = this.cache;
      this.cache = new Map();
    }
    this.cache.set(piece, ids);
    return ids;
  }

  private pushOffsets(piece: string, pieceStart: number, ids: number | Int32Array, offsets: [number, number][]): void {
    if (this.unitStart.length < piece.length * 3) {
      this.unitStart = new Int32Array(piece.length * 3);
      this.unitEnd = new Int32Array(piece.length * 3);
    }
    if (this.bytes.length < piece.length * 3) {
      this.bytes = new Uint8Array(piece.length * 3);
      this.ids = new Int32Array(piece.length * 3);
    }
    const { unitStart, unitEnd } = this;
    encodeUtf8WithSpans(piece, this.bytes, unitStart, unitEnd);
    let byte = 0;
    const count = typeof ids === 'number' ? 1 : ids.length;
    for (let i = 0; i < count; i++) {
      const id = typeof ids === 'number' ? ids : ids[i]!;
      const length = this.model.tokens[id]!.length;
      offsets.push([pieceStart + unitStart[byte]!, pieceStart + unitEnd[byte + length - 1]!]);
      byte += length;
    }
  }
}
