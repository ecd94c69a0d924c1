import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainBpe } from './bpe-trainer';
import { getEncoding } from './encodings';
import { CL100K_PATTERN, GPT2_PATTERN } from './patterns';
import { TEST_CORPUS } from './testing/corpus';
import type { Tokenizer } from './tokenizer';
import { loadTokenizer, saveTokenizer, type TokenizerFileFormat } from './tokenizer-io';
import { TokenizerFormatError } from './tokenizer.errors';

const dir = mkdtempSync(join(tmpdir(), 'crucible-tokenizer-'));
const text = TEST_CORPUS.join('\n');
const ids = (t: Tokenizer, s: string) => t.encode(s, { allowedSpecial: 'all' });

const training = [
  "The Congress shall have power to lay and collect taxes, duties, imposts and excises, to pay the debts and provide for the common defence and general welfare of the United States; but all duties, imposts and excises shall be uniform throughout the United States.",
  'Toutes les personnes naissent libres et égales en dignité et en droits. 人人生而自由,在尊严和权利上一律平等。 1234 5678 👍',
];

describe.each([
  ['gpt2 pattern', GPT2_PATTERN],
  ['cl100k pattern', CL100K_PATTERN],
])('a trained tokenizer (%s) survives every format', (_, pattern) => {
  let trained: Tokenizer;
  beforeAll(async () => {
    trained = await trainBpe(Array(10).fill(training).flat(), { vocabSize: 600, minFrequency: 1, pattern, specialTokens: ['<|endoftext|>', '<|pad|>'] });
  });

  it.each(['hf-json', 'tiktoken', 'crucible'] as TokenizerFileFormat[])('%s', async (format) => {
    const path = join(dir, `trained-${pattern.length}.${format}`);
    await saveTokenizer(trained, path, format);
    const loaded = await loadTokenizer(path);
    expect(loaded.pattern).toBe(pattern);
    expect(Object.fromEntries(loaded.specialTokens)).toEqual(Object.fromEntries(trained.specialTokens));
    // tiktoken files switch to rank semantics; on this corpus both rules split identically.
    expect(ids(loaded, text)).toEqual(ids(trained, text));
    expect(ids(loaded, training.join(' '))).toEqual(ids(trained, training.join(' ')));
  });

  it('writes a tokenizer.json HF can read: byte-level vocab, string merges, specials as added tokens', async () => {
    const path = join(dir, 'hf.json');
    await saveTokenizer(trained, path, 'hf-json');
    const json = JSON.parse(readFileSync(path, 'utf8'));
    expect(json.version).toBe('1.0');
    expect(json.model.type).toBe('BPE');
    expect(json.model.vocab['Ġ']).toBe(32);
    expect(json.model.merges.length).toBe(trained.model.merges!.length);
    expect(json.added_tokens.map((t: { content: string }) => t.content)).toEqual(['<|endoftext|>', '<|pad|>']);
  });
});

// Loading a 100k vocabulary twice takes seconds on a shared 2-core machine.
describe('published vocabularies through files', { timeout: 60_000 }, () => {
  it('cl100k_base round-trips through a tiktoken rank file', async () => {
    const enc = getEncoding('cl100k_base');
    const path = join(dir, 'cl100k_base.tiktoken');
    await saveTokenizer(enc, path, 'tiktoken');
    const loaded = await loadTokenizer(path);
    expect(loaded.vocabSize).toBe(enc.vocabSize);
    expect(ids(loaded, text)).toEqual(ids(enc, text));
  });

  it('gpt2 through tokenizer.json (derived merges, HF rules) gives tiktoken ids', async () => {
    const enc = getEncoding('gpt2');
    const path = join(dir, 'gpt2.json');
    await saveTokenizer(enc, path, 'hf-json');
    const loaded = await loadTokenizer(path);
    expect(loaded.model.rule).toBe('merges');
    expect(ids(loaded, text)).toEqual(ids(enc, text));
  });
});

describe('format errors', () => {
  it('rejects an unknown crucible formatVersion', async () => {
    const path = join(dir, 'future.json');
    writeFileSync(path, JSON.stringify({ format: 'crucible-tokenizer', formatVersion: 99 }));
    await expect(loadTokenizer(path)).rejects.toThrow(TokenizerFormatError);
    await expect(loadTokenizer(path)).rejects.toThrow(/version 99 is not supported/);
  });

  it('rejects an unknown tokenizer.json version and non-byte-level pre-tokenizers', async () => {
    const path = join(dir, 'v2.json');
    writeFileSync(path, JSON.stringify({ version: '2.0', model: { type: 'BPE', vocab: {}, merges: [] } }));
    await expect(loadTokenizer(path)).rejects.toThrow(/version "2.0"/);
    writeFileSync(path, JSON.stringify({ version: '1.0', normalizer: null, pre_tokenizer: { type: 'Metaspace' }, model: { type: 'BPE', vocab: {}, merges: [] } }));
    await expect(loadTokenizer(path)).rejects.toThrow(/unsupported pre_tokenizer: Metaspace/);
  });

  it('rejects a tiktoken file without a pattern, and a future sidecar', async () => {
    const path = join(dir, 'bare.tiktoken');
    writeFileSync(path, 'IQ== 0\n');
    await expect(loadTokenizer(path)).rejects.toThrow(/carries no pattern/);
    writeFileSync(`${path}.meta.json`, JSON.stringify({ format: 'crucible-tiktoken-meta', formatVersion: 2 }));
    await expect(loadTokenizer(path)).rejects.toThrow(/version 2 is not supported/);
  });

  it('rejects malformed rank lines', async () => {
    const path = join(dir, 'bad.tiktoken');
    writeFileSync(path, 'IQ== 0\nnot base64! 1\n');
    await expect(loadTokenizer(path, { pattern: GPT2_PATTERN })).rejects.toThrow(/line 2/);
  });
});
