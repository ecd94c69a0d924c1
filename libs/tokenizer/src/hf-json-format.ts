/**
 * Hugging Face `tokenizer.json` (tokenizers ≥ 0.13, file version "1.0") for byte-level BPE.
 *
 * Pre-tokenisation: the GPT-2 pattern is exactly what HF's ByteLevel pre-tokenizer applies with
 * use_regex=true; any other pattern (cl100k, o200k, custom) is written as a Sequence of a
 * `Split` on the regex (behavior Isolated) and ByteLevel with use_regex=false.
 *
 * Merges: a `merges`-rule tokenizer (trained, or read from tokenizer.json) writes its merge list
 * and loads back identically in HF. A `ranks`-rule tokenizer (tiktoken) has no merge list; one is
 * derived as HF's own tiktoken converter does — each token's split after BPE with lower ranks —
 * and `ignore_merges: true` reproduces tiktoken's whole-pre-token lookup. (HF applies merges by
 * pair, tiktoken by rank of the result; for GPT-2 the two agree on every test string.)
 */
import { byteLevelToBytes, bytesToByteLevel } from './byte-level-alphabet';
import { BpeModel, type Merge } from './bpe-model';
import { GPT2_PATTERN } from './patterns';
import { Tokenizer } from './tokenizer';
import { TokenizerFormatError } from './tokenizer.errors';

export const HF_FILE_VERSION = '1.0';

interface HfAddedToken {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

type HfPreTokenizer =
  | { type: 'ByteLevel'; add_prefix_space: boolean; trim_offsets?: boolean; use_regex?: boolean }
  | { type: 'Split'; pattern: { Regex?: string; String?: string }; behavior: string; invert: boolean }
  | { type: 'Sequence'; pretokenizers: HfPreTokenizer[] }
  | { type: string };

export interface HfTokenizerJson {
  version: string;
  truncation: null;
  padding: null;
  added_tokens: HfAddedToken[];
  normalizer: null;
  pre_tokenizer: HfPreTokenizer;
  post_processor: null;
  decoder: { type: 'ByteLevel'; add_prefix_space: boolean; trim_offsets: boolean; use_regex: boolean };
  model: {
    type: 'BPE';
    dropout: null;
    unk_token: null;
    continuing_subword_prefix: null;
    end_of_word_suffix: null;
    fuse_unk: boolean;
    byte_fallback: boolean;
    ignore_merges: boolean;
    vocab: Record<string, number>;
    merges: string[];
  };
}

function preTokenizerFor(pattern: string): HfPreTokenizer {
  if (pattern === GPT2_PATTERN) return { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    type: 'Sequence',
    pretokenizers: [
      { type: 'Split', pattern: { Regex: pattern }, behavior: 'Isolated', invert: false },
      { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
    ],
  };
}

/** The merge that creates each token under rank semantics: BPE on its bytes with lower ranks only. */
function mergesFromRanks(model: BpeModel): Merge[] {
  const merges: Merge[] = [];
  model.tokens.forEach((bytes, rank) => {
    if (bytes === undefined || bytes.length < 2) return;
    const parts = Array.from(bytes, (b) => model.byteIds[b]!);
    for (;;) {
      let best = -1;
      let bestPriority = rank;
      for (let i = 0; i + 1 < parts.length; i++) {
        const slot = model.table.find(parts[i]!, parts[i + 1]!);
        if (slot >= 0 && model.table.priorityAt(slot) < bestPriority) {
          bestPriority = model.table.priorityAt(slot);
          best = i;
        }
      }
      if (best < 0) break;
      parts.splice(best, 2, model.table.resultAt(model.table.find(parts[best]!, parts[best + 1]!)));
    }
    if (parts.length === 2) merges.push([parts[0]!, parts[1]!]);
  });
  return merges;
}

export function toHfJson(tokenizer: Tokenizer): HfTokenizerJson {
  const { model } = tokenizer;
  const names: string[] = [];
  const vocab: Record<string, number> = {};
  model.tokens.forEach((bytes, id) => {
    if (bytes === undefined) return;
    names[id] = bytesToByteLevel(bytes);
    vocab[names[id]!] = id;
  });
  const added_tokens: HfAddedToken[] = [];
  for (const [content, id] of tokenizer.specialTokens) {
    vocab[content] = id;
    added_tokens.push({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  }
  const merges = (model.rule === 'merges' ? model.merges! : mergesFromRanks(model)).map(([l, r]) => `${names[l]} ${names[r]}`);
  const byteLevel = { type: 'ByteLevel' as const, add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: HF_FILE_VERSION,
    truncation: null,
    padding: null,
    added_tokens,
    normalizer: null,
    pre_tokenizer: preTokenizerFor(tokenizer.pattern),
    post_processor: null,
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: model.wholePieceLookup,
      vocab,
      merges,
    },
  };
}

function patternOf(pre: HfPreTokenizer | null | undefined, path?: string): string {
  const fail = (why: string) => new TokenizerFormatError(`unsupported pre_tokenizer: ${why} (byte-level BPE needs ByteLevel, or Split + ByteLevel)`, path);
  if (pre === null || pre === undefined) throw fail('none');
  if (pre.type === 'ByteLevel') {
    const b = pre as { add_prefix_space?: boolean; use_regex?: boolean };
    if (b.add_prefix_space === true) throw fail('ByteLevel add_prefix_space is not supported');
    if (b.use_regex === false) throw fail('ByteLevel without a regex splits nothing');
    return GPT2_PATTERN;
  }
  if (pre.type === 'Sequence') {
    const [split, byteLevel, ...rest] = (pre as { pretokenizers: HfPreTokenizer[] }).pretokenizers;
    const s = split as { type: string; pattern?: { Regex?: string }; behavior?: string; invert?: boolean } | undefined;
    const b = byteLevel as { type: string; add_prefix_space?: boolean; use_regex?: boolean } | undefined;
    if (rest.length === 0 && s?.type === 'Split' && s.pattern?.Regex !== undefined && s.behavior === 'Isolated' && s.invert !== true &&
      b?.type === 'ByteLevel' && b.use_regex === false && b.add_prefix_space !== true) {
      return s.pattern.Regex;
    }
    if (split?.type === 'ByteLevel' && byteLevel === undefined) return patternOf(split, path);
    throw fail('Sequence other than [Split(Isolated), ByteLevel(use_regex=false)]');
  }
  throw fail(pre.type);
}

export function fromHfJson(json: unknown, name: string, path?: string): Tokenizer {
  const file = json as Partial<HfTokenizerJson> & { model?: Partial<HfTokenizerJson['model']> & { merges?: (string | [string, string])[] } };
  if (file.version !== HF_FILE_VERSION) throw new TokenizerFormatError(`tokenizer.json version ${JSON.stringify(file.version)} is not supported (expected "${HF_FILE_VERSION}")`, path);
  const m = file.model;
  if (m?.type !== 'BPE' || m.vocab === undefined || m.merges === undefined) throw new TokenizerFormatError('model is not BPE with vocab and merges', path);
  if (file.normalizer !== null && file.normalizer !== undefined) throw new TokenizerFormatError('normalizers are not supported', path);
  const pattern = patternOf(file.pre_tokenizer, path);
  const specialTokens: Record<string, number> = {};
  for (const t of file.added_tokens ?? []) if (t.special) specialTokens[t.content] = t.id;
  const tokens: (Uint8Array | undefined)[] = [];
  const idOf = new Map<string, number>();
  for (const [text, id] of Object.entries(m.vocab)) {
    idOf.set(text, id);
    if (specialTokens[text] === id) continue;
    const bytes = byteLevelToBytes(text);
    if (bytes === undefined) throw new TokenizerFormatError(`vocab entry ${JSON.stringify(text)} is not byte-level`, path);
    tokens[id] = bytes;
  }
  const merges: Merge[] = m.merges.map((entry, i) => {
    const [left, right] = typeof entry === 'string' ? (entry.split(' ') as [string, string]) : entry;
    const l = idOf.get(left);
    const r = idOf.get(right);
    if (l === undefined || r === undefined) throw new TokenizerFormatError(`merge ${i} ${JSON.stringify(entry)} uses a token not in vocab`, path);
    return [l, r] as const;
  });
  return new Tokenizer({ name, pattern, model: BpeModel.fromMerges(tokens, merges, { ignoreMerges: m.ignore_merges === true }), specialTokens });
}
