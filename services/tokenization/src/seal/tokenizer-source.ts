/**
 * The tokenizer a seal encodes with: a published vocabulary (`gpt2`, `cl100k_base`), a pinned
 * file, or one trained on the dataset itself. Trained and file tokenizers are stored in the
 * version's directory, so a version stays readable when the pinned file changes; their id is
 * the sha256 of that file, so the same vocabulary always has the same id.
 */
import { type Tokenizer, type TrainProgress, getEncoding, loadTokenizer, saveTokenizer, tiktokenMetaPath, trainBpe } from '@crucible/tokenizer';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DatasetError } from '../datasets/dataset.errors';
import { type BuiltinEncoding, isBuiltinEncoding } from '../tokenization.config';

export const END_OF_TEXT = '<|endoftext|>';
const TRAINED_FILE = 'tokenizer.json';

export interface SealTokenizer {
  readonly tokenizer: Tokenizer;
  readonly eotToken: number;
  readonly id: string;
  /** Relative to the version directory, or `tiktoken:<encoding>` for a published vocabulary. */
  readonly path: string;
}

export interface TokenizerSettings {
  readonly pinned?: string | undefined;
  readonly vocabSize: number;
  readonly minFrequency: number;
  readonly pattern: 'gpt2' | 'cl100k' | 'o200k';
}

const sha256File = (path: string): string => `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;

function withEot(tokenizer: Tokenizer, id: string, path: string): SealTokenizer {
  if (tokenizer.eotToken === undefined) {
    throw new DatasetError('seal_failed', `tokenizer ${id} has no ${END_OF_TEXT} token to separate documents`, false);
  }
  return { tokenizer, eotToken: tokenizer.eotToken, id, path };
}

/** Pinned tokenizers are loaded once per process: cl100k_base takes seconds to build. */
export class PinnedTokenizers {
  private readonly loaded = new Map<string, Promise<Tokenizer>>();

  builtin(name: BuiltinEncoding): SealTokenizer {
    return withEot(getEncoding(name), `tiktoken:${name}`, `tiktoken:${name}`);
  }

  /** Copies the file (and a tiktoken sidecar) into `versionDir`; the version refers to its own copy. */
  async file(path: string, versionDir: string): Promise<SealTokenizer> {
    const source = resolve(path);
    if (!existsSync(source)) throw new DatasetError('seal_failed', `pinned tokenizer ${source} does not exist`, false);
    let loading = this.loaded.get(source);
    if (loading === undefined) {
      loading = loadTokenizer(source);
      this.loaded.set(source, loading);
      loading.catch(() => this.loaded.delete(source));
    }
    const tokenizer = await loading;
    const copy = `tokenizer-${basename(source)}`;
    copyFileSync(source, join(versionDir, copy));
    if (existsSync(tiktokenMetaPath(source))) copyFileSync(tiktokenMetaPath(source), tiktokenMetaPath(join(versionDir, copy)));
    return withEot(tokenizer, sha256File(source), copy);
  }
}

export async function trainSealTokenizer(
  corpus: () => AsyncIterable<string> | Iterable<string>,
  settings: TokenizerSettings,
  name: string,
  versionDir: string,
  onProgress: (progress: TrainProgress) => void,
  progressIntervalMs: number,
): Promise<SealTokenizer> {
  const tokenizer = await trainBpe(corpus(), {
    vocabSize: settings.vocabSize,
    minFrequency: settings.minFrequency,
    pattern: settings.pattern,
    specialTokens: [END_OF_TEXT],
    name,
    onProgress,
    progressIntervalMs,
  });
  const path = join(versionDir, TRAINED_FILE);
  // Hugging Face tokenizer.json: loads in `tokenizers` and transformers as well as here.
  await saveTokenizer(tokenizer, path, 'hf-json');
  return withEot(tokenizer, sha256File(path), TRAINED_FILE);
}

export async function resolveSealTokenizer(
  pinned: PinnedTokenizers,
  settings: TokenizerSettings,
  corpus: () => AsyncIterable<string> | Iterable<string>,
  name: string,
  versionDir: string,
  onProgress: (progress: TrainProgress) => void,
  progressIntervalMs: number,
): Promise<SealTokenizer> {
  if (settings.pinned === undefined) return trainSealTokenizer(corpus, settings, name, versionDir, onProgress, progressIntervalMs);
  if (isBuiltinEncoding(settings.pinned)) return pinned.builtin(settings.pinned);
  return pinned.file(settings.pinned, versionDir);
}
