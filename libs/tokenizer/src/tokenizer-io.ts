/**
 * Loading and saving tokenizers. The format is recognised from the content: a JSON object with
 * `format` is ours (crucible-tokenizer), one with `model` is Hugging Face tokenizer.json, and
 * anything else is read as a tiktoken rank file (with its `.meta.json` sidecar, or the pattern
 * and special tokens passed in).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fromCrucibleFile, toCrucibleFile } from './crucible-format';
import { fromHfJson, toHfJson } from './hf-json-format';
import { checkTiktokenMeta, fromTiktokenRanks, parseTiktokenRanks, toTiktokenMeta, toTiktokenRanks } from './tiktoken-format';
import type { Tokenizer } from './tokenizer';
import { TokenizerFormatError } from './tokenizer.errors';

export type TokenizerFileFormat = 'hf-json' | 'tiktoken' | 'crucible';

export interface LoadTokenizerOptions {
  /** For tiktoken rank files without a sidecar: the pre-tokenisation pattern. */
  readonly pattern?: string;
  readonly specialTokens?: Readonly<Record<string, number>>;
  readonly name?: string;
}

export const tiktokenMetaPath = (path: string): string => `${path}.meta.json`;

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TokenizerFormatError(`invalid JSON: ${(error as Error).message}`, path);
  }
}

export async function loadTokenizer(path: string, options: LoadTokenizerOptions = {}): Promise<Tokenizer> {
  const text = await readFile(path, 'utf8');
  const name = options.name ?? basename(path).replace(/\.(json|tiktoken)$/, '');
  if (text.trimStart().startsWith('{')) {
    const json = parseJson(text, path) as Record<string, unknown>;
    if ('format' in json) return fromCrucibleFile(json, path);
    if ('model' in json) return fromHfJson(json, name, path);
    throw new TokenizerFormatError('JSON is neither a crucible-tokenizer file nor a Hugging Face tokenizer.json', path);
  }
  const ranks = parseTiktokenRanks(text, path);
  const metaPath = tiktokenMetaPath(path);
  if (existsSync(metaPath)) {
    const meta = checkTiktokenMeta(parseJson(await readFile(metaPath, 'utf8'), metaPath), metaPath);
    return fromTiktokenRanks(ranks, { name: options.name ?? meta.name, pattern: options.pattern ?? meta.pattern, specialTokens: options.specialTokens ?? meta.specialTokens });
  }
  if (options.pattern === undefined) {
    throw new TokenizerFormatError(`a tiktoken rank file carries no pattern: pass options.pattern or provide ${basename(metaPath)}`, path);
  }
  return fromTiktokenRanks(ranks, { name, pattern: options.pattern, ...(options.specialTokens !== undefined && { specialTokens: options.specialTokens }) });
}

export async function saveTokenizer(tokenizer: Tokenizer, path: string, format: TokenizerFileFormat): Promise<void> {
  switch (format) {
    case 'hf-json':
      await writeFile(path, JSON.stringify(toHfJson(tokenizer)));
      return;
    case 'crucible':
      await writeFile(path, JSON.stringify(toCrucibleFile(tokenizer)));
      return;
    case 'tiktoken':
      await writeFile(path, toTiktokenRanks(tokenizer));
      await writeFile(tiktokenMetaPath(path), JSON.stringify(toTiktokenMeta(tokenizer), null, 2));
      return;
  }
}
