/**
 * tiktoken rank files (`.tiktoken`): one `<base64 token bytes> <rank>` line per token, the
 * format of openai/tiktoken's `load_tiktoken_bpe`. The file holds no pattern and no special
 * tokens, so we write them to a sidecar `<file>.meta.json` carrying `format`/`formatVersion`.
 * Loading gives rank semantics (tiktoken's); a merges-rule tokenizer saved this way may split
 * rare words differently — save it as tokenizer.json or crucible format to keep it exact.
 */
import { BpeModel } from './bpe-model';
import { Tokenizer } from './tokenizer';
import { TokenizerFormatError } from './tokenizer.errors';

export const TIKTOKEN_META_FORMAT = 'crucible-tiktoken-meta';
export const TIKTOKEN_META_VERSION = 1;

export interface TiktokenMeta {
  readonly format: typeof TIKTOKEN_META_FORMAT;
  readonly formatVersion: number;
  readonly name: string;
  readonly pattern: string;
  readonly specialTokens: Record<string, number>;
}

export function toTiktokenRanks(tokenizer: Tokenizer): string {
  const lines: string[] = [];
  tokenizer.model.tokens.forEach((bytes, id) => {
    if (bytes !== undefined) lines.push(`${Buffer.from(bytes).toString('base64')} ${id}`);
  });
  return lines.join('\n') + '\n';
}

export function toTiktokenMeta(tokenizer: Tokenizer): TiktokenMeta {
  return {
    format: TIKTOKEN_META_FORMAT,
    formatVersion: TIKTOKEN_META_VERSION,
    name: tokenizer.name,
    pattern: tokenizer.pattern,
    specialTokens: Object.fromEntries(tokenizer.specialTokens),
  };
}

export function parseTiktokenRanks(text: string, path?: string): (Uint8Array | undefined)[] {
  const tokens: (Uint8Array | undefined)[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const [token, rank, extra] = line.split(' ');
    const id = Number(rank);
    if (token === undefined || extra !== undefined || !Number.isInteger(id) || id < 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(token)) {
      throw new TokenizerFormatError(`line ${i + 1} is not "<base64> <rank>"`, path);
    }
    if (tokens[id] !== undefined) throw new TokenizerFormatError(`rank ${id} appears twice (line ${i + 1})`, path);
    tokens[id] = new Uint8Array(Buffer.from(token, 'base64'));
  }
  return tokens;
}

export function checkTiktokenMeta(json: unknown, path?: string): TiktokenMeta {
  const meta = json as Partial<TiktokenMeta>;
  if (meta.format !== TIKTOKEN_META_FORMAT) throw new TokenizerFormatError(`not a ${TIKTOKEN_META_FORMAT} file`, path);
  if (meta.formatVersion !== TIKTOKEN_META_VERSION) {
    throw new TokenizerFormatError(`${TIKTOKEN_META_FORMAT} version ${meta.formatVersion} is not supported (expected ${TIKTOKEN_META_VERSION})`, path);
  }
  if (typeof meta.pattern !== 'string' || typeof meta.name !== 'string' || typeof meta.specialTokens !== 'object') {
    throw new TokenizerFormatError('name, pattern and specialTokens are required', path);
  }
  return meta as TiktokenMeta;
}

export function fromTiktokenRanks(
  ranks: string | readonly (Uint8Array | undefined)[],
  options: { readonly name: string; readonly pattern: string; readonly specialTokens?: Readonly<Record<string, number>> },
): Tokenizer {
  const tokens = typeof ranks === 'string' ? parseTiktokenRanks(ranks) : ranks;
  return new Tokenizer({
    name: options.name,
    pattern: options.pattern,
    model: BpeModel.fromRanks(tokens),
    ...(options.specialTokens !== undefined && { specialTokens: options.specialTokens }),
  });
}
