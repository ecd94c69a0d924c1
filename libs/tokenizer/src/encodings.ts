/**
 * The published OpenAI vocabularies, read from the rank modules js-tiktoken ships in
 * node_modules (never fetched from the network). Loaded lazily and memoised: cl100k_base is a
 * 1.6 MB module and takes ≈ 0.2 s to turn into a Tokenizer.
 */
import { BpeModel } from './bpe-model';
import { CL100K_PATTERN, GPT2_PATTERN, O200K_PATTERN } from './patterns';
import { Tokenizer } from './tokenizer';

export type EncodingName = 'gpt2' | 'cl100k_base' | 'o200k_base';

interface JsTiktokenRanks {
  readonly pat_str: string;
  readonly special_tokens: Record<string, number>;
  readonly bpe_ranks: string;
}

const PATTERN: Record<EncodingName, string> = { gpt2: GPT2_PATTERN, cl100k_base: CL100K_PATTERN, o200k_base: O200K_PATTERN };

function loadRanks(name: EncodingName): JsTiktokenRanks {
  // require, not import: the tables are megabytes of JS, loaded only when asked for, behind a
  // synchronous API. Static paths so bundlers and the SWC hook resolve them.
  /* eslint-disable @typescript-eslint/no-require-imports */
  switch (name) {
    case 'gpt2':
      return require('js-tiktoken/ranks/gpt2') as JsTiktokenRanks;
    case 'cl100k_base':
      return require('js-tiktoken/ranks/cl100k_base') as JsTiktokenRanks;
    case 'o200k_base':
      return require('js-tiktoken/ranks/o200k_base') as JsTiktokenRanks;
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * Parses js-tiktoken's compressed rank text: lines of `<tag> <first rank> <base64 token>…`,
 * consecutive tokens taking consecutive ranks.
 */
export function parseJsTiktokenRanks(text: string): (Uint8Array | undefined)[] {
  const tokens: (Uint8Array | undefined)[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const fields = line.split(' ');
    const first = Number.parseInt(fields[1] ?? '', 10);
    for (let i = 2; i < fields.length; i++) tokens[first + i - 2] = new Uint8Array(Buffer.from(fields[i]!, 'base64'));
  }
  return tokens;
}

const memo = new Map<EncodingName, Tokenizer>();

export function getEncoding(name: EncodingName): Tokenizer {
  let tokenizer = memo.get(name);
  if (tokenizer === undefined) {
    const ranks = loadRanks(name);
    tokenizer = new Tokenizer({
      name,
      pattern: PATTERN[name],
      model: BpeModel.fromRanks(parseJsTiktokenRanks(ranks.bpe_ranks)),
      specialTokens: ranks.special_tokens,
    });
    memo.set(name, tokenizer);
  }
  return tokenizer;
}
