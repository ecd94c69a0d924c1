/**
 * What the tokenization stage does with documents: which dataset they join, when a dataset
 * is sealed, which tokenizer encodes it and how shards are cut. The `tokenization:` block of
 * crucible.yaml (or TOKENIZATION_CONFIG_FILE); every field has a default with its reason.
 */
import { ValidationError } from '@crucible/contracts';
import { z } from 'zod';

const BUILTIN_ENCODINGS = ['gpt2', 'cl100k_base'] as const;
export type BuiltinEncoding = (typeof BUILTIN_ENCODINGS)[number];
export const isBuiltinEncoding = (value: string): value is BuiltinEncoding => (BUILTIN_ENCODINGS as readonly string[]).includes(value);

export const TokenizerSettingsSchema = z
  .object({
    /** `gpt2`, `cl100k_base`, or a tokenizer file (HF tokenizer.json, tiktoken ranks, crucible); unset = train one per seal. */
    pinned: z.string().min(1).optional(),
    /** Trained vocabulary incl. 256 bytes and `<|endoftext|>`; 8,192 keeps uint16 shards and suits small corpora. */
    vocabSize: z.number().int().min(257).max(1_000_000).default(8192),
    /** Pairs rarer than this are not merged: a merge seen once is noise, not vocabulary. */
    minFrequency: z.number().int().min(1).default(2),
    /** Pre-tokenisation of trained tokenizers; cl100k splits numbers into 1–3 digits (GPT-4's choice). */
    pattern: z.enum(['gpt2', 'cl100k', 'o200k']).default('cl100k'),
  })
  .strict();

export const AutoSealSchema = z
  .object({
    /** Seal once this many documents wait in the open version. */
    documents: z.number().int().positive().optional(),
    /** Seal once the open version holds this many characters. */
    chars: z.number().int().positive().optional(),
  })
  .strict();

export const TokenizationConfigSchema = z
  .object({
    /** The dataset a document joins when its metadata names none. */
    dataset: z.string().min(1).default('default'),
    /** Metadata field that routes a document to another dataset, when it holds a string. */
    datasetMetadataField: z.string().min(1).default('dataset'),
    /** Share of documents (by id hash) in the validation split; 5% still gives small corpora a usable validation set. */
    validationFraction: z.number().min(0).max(1).default(0.05),
    tokenizer: TokenizerSettingsSchema.default(TokenizerSettingsSchema.parse({})),
    /** Unset: seal on command only. */
    autoSeal: AutoSealSchema.default({}),
    /** Tokens per shard file at most (documents are never split): 50M uint16 tokens ≈ 100 MB, easy to memory-map and copy. */
    shardTokens: z.number().int().positive().default(50_000_000),
    /** How often progress is logged while training and encoding a seal. */
    progressIntervalMs: z.number().int().positive().default(2_000),
  })
  .strict();

export type TokenizationConfig = z.output<typeof TokenizationConfigSchema>;
export type TokenizationConfigInput = z.input<typeof TokenizationConfigSchema>;

export function parseTokenizationConfig(input: unknown): TokenizationConfig {
  const parsed = TokenizationConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.filter((p): p is string | number => typeof p !== 'symbol'),
      message: i.message,
    }));
    throw new ValidationError(`invalid tokenization config: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, issues);
  }
  return parsed.data;
}
