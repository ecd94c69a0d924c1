/**
 * Our own tokenizer file: one JSON document that keeps everything exactly — pattern, merge
 * rule, token bytes (base64), merges, special tokens — with `format`/`formatVersion` checked on
 * load, so a file written by a future version fails loudly instead of tokenizing differently.
 */
import { BpeModel, type Merge } from './bpe-model';
import { Tokenizer } from './tokenizer';
import { TokenizerFormatError } from './tokenizer.errors';

export const CRUCIBLE_FORMAT = 'crucible-tokenizer';
export const CRUCIBLE_FORMAT_VERSION = 1;

export interface CrucibleTokenizerFile {
  readonly format: typeof CRUCIBLE_FORMAT;
  readonly formatVersion: number;
  readonly name: string;
  readonly pattern: string;
  readonly rule: 'ranks' | 'merges';
  readonly wholePieceLookup: boolean;
  /** Token bytes in base64 by id; null for unused ids. */
  readonly tokens: (string | null)[];
  readonly merges?: Merge[];
  readonly specialTokens: Record<string, number>;
}

export function toCrucibleFile(tokenizer: Tokenizer): CrucibleTokenizerFile {
  const { model } = tokenizer;
  return {
    format: CRUCIBLE_FORMAT,
    formatVersion: CRUCIBLE_FORMAT_VERSION,
    name: tokenizer.name,
    pattern: tokenizer.pattern,
    rule: model.rule,
    wholePieceLookup: model.wholePieceLookup,
    tokens: Array.from(model.tokens, (bytes) => (bytes === undefined ? null : Buffer.from(bytes).toString('base64'))),
    ...(model.merges !== undefined && { merges: [...model.merges] }),
    specialTokens: Object.fromEntries(tokenizer.specialTokens),
  };
}

export function fromCrucibleFile(json: unknown, path?: string): Tokenizer {
  const file = json as Partial<CrucibleTokenizerFile>;
  if (file.format !== CRUCIBLE_FORMAT) throw new TokenizerFormatError(`not a ${CRUCIBLE_FORMAT} file`, path);
  if (file.formatVersion !== CRUCIBLE_FORMAT_VERSION) {
    throw new TokenizerFormatError(`${CRUCIBLE_FORMAT} version ${file.formatVersion} is not supported (expected ${CRUCIBLE_FORMAT_VERSION})`, path);
  }
  if (typeof file.name !== 'string' || typeof file.pattern !== 'string' || !Array.isArray(file.tokens) || typeof file.specialTokens !== 'object') {
    throw new TokenizerFormatError('name, pattern, tokens and specialTokens are required', path);
  }
  const tokens = file.tokens.map((t) => (t === null ? undefined : new Uint8Array(Buffer.from(t, 'base64'))));
  let model: BpeModel;
  if (file.rule === 'ranks') model = BpeModel.fromRanks(tokens);
  else if (file.rule === 'merges' && Array.isArray(file.merges)) model = BpeModel.fromMerges(tokens, file.merges, { ignoreMerges: file.wholePieceLookup === true });
  else throw new TokenizerFormatError(`rule ${JSON.stringify(file.rule)} is not 'ranks' or 'merges' with a merge list`, path);
  return new Tokenizer({ name: file.name, pattern: file.pattern, model, specialTokens: file.specialTokens });
}
