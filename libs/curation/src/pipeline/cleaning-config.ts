/**
 * The cleaning configuration: one zod schema, every field defaulted, with the reason for
 * each default. `parseCleaningConfig({})` gives the FineWeb-like English setup.
 */
import { z } from 'zod';
import { CleaningConfigError } from '../errors';
import { PII_KINDS, type PiiKind } from '../pii/pii-redact';
import { GOPHER_REPETITION_DEFAULTS as R } from '../quality/gopher-repetition.rule';

const pairs = (list: readonly (readonly [number, number])[]): [number, number][] => list.map(([n, f]) => [n, f]);

const frac = z.number().min(0).max(1);
const ratioOrOff = z.number().min(0).nullable();

export const CleaningConfigSchema = z
  .object({
    html: z
      .object({
        /** Extract text when the document's media type is text/html. */
        enabled: z.boolean().default(true),
        /** jusText's link-density cut: blocks more than half link text are navigation. */
        maxLinkDensity: frac.default(0.5),
        preferMainContent: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    normalize: z
      .object({
        /** NFC is lossless; NFKC also folds ligatures and full-width forms (changes meaning of ², ℌ…). */
        form: z.enum(['NFC', 'NFKC']).default('NFC'),
        /** One blank line keeps paragraph breaks, which the repetition rules count. */
        maxConsecutiveBlankLines: z.number().int().min(0).max(10).default(1),
        stripZeroWidth: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    language: z
      .object({
        enabled: z.boolean().default(true),
        /** Languages kept; `[]` keeps every language that clears its threshold. */
        allowed: z.array(z.string().min(2)).default(['en']),
        /**
         * Per-language minimum score, merged over `{ en: 0.65 }` (FineWeb keeps English at
         * fastText ≥ 0.65), so setting `fr` does not silently drop the English threshold.
         */
        thresholds: z
          .record(z.string(), frac)
          .default({})
          .transform((t) => ({ en: 0.65, ...t })),
        /** Threshold for languages absent from `thresholds`. */
        defaultThreshold: frac.default(0.5),
      })
      .strict()
      .prefault({}),
    gopherQuality: z
      .object({
        enabled: z.boolean().default(true),
        // Defaults: Rae et al. 2021 appendix A, as in datatrove's GopherQualityFilter.
        minDocWords: z.number().int().nonnegative().nullable().default(50),
        maxDocWords: z.number().int().positive().nullable().default(100_000),
        minAvgWordLength: ratioOrOff.default(3),
        maxAvgWordLength: ratioOrOff.default(10),
        maxSymbolWordRatio: ratioOrOff.default(0.1),
        maxBulletLinesRatio: ratioOrOff.default(0.9),
        maxEllipsisLinesRatio: ratioOrOff.default(0.3),
        minAlphaWordsRatio: ratioOrOff.default(0.8),
        minStopWords: z.number().int().nonnegative().nullable().default(2),
        stopWords: z.array(z.string()).default(['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with']),
        /**
         * Apply only to documents identified as these languages: the rules and stop words are
         * English (Gopher), and would reject every French page for lack of "the". `[]` = all;
         * with language identification disabled the rules apply to every document.
         */
        languages: z.array(z.string()).default(['en']),
      })
      .strict()
      .prefault({}),
    gopherRepetition: z
      .object({
        enabled: z.boolean().default(true),
        // Defaults: Rae et al. 2021 table A1, as in datatrove's GopherRepetitionFilter (one source: the rule).
        dupLineFrac: ratioOrOff.default(R.dupLineFrac),
        dupParaFrac: ratioOrOff.default(R.dupParaFrac),
        dupLineCharFrac: ratioOrOff.default(R.dupLineCharFrac),
        dupParaCharFrac: ratioOrOff.default(R.dupParaCharFrac),
        topNGrams: z.array(z.tuple([z.number().int().min(1), frac])).default(() => pairs(R.topNGrams)),
        dupNGrams: z.array(z.tuple([z.number().int().min(1), frac])).default(() => pairs(R.dupNGrams)),
      })
      .strict()
      .prefault({}),
    pii: z
      .object({
        enabled: z.boolean().default(true),
        kinds: z.array(z.enum(['secret', 'email', 'card', 'ip', 'phone'] satisfies PiiKind[])).default([...PII_KINDS]),
        /** Random API keys have ≥ 4 bits/char; English words and config names stay below 3.5. */
        minSecretEntropy: z.number().min(0).max(8).default(3.5),
      })
      .strict()
      .prefault({}),
    dedup: z
      .object({
        exact: z.boolean().default(true),
        near: z.boolean().default(true),
        // datatrove MinhashConfig defaults: 5-gram shingles, 14 bands × 8 rows.
        ngram: z.number().int().min(1).max(32).default(5),
        bands: z.number().int().min(1).max(64).default(14),
        rows: z.number().int().min(1).max(32).default(8),
        seed: z.number().int().nonnegative().default(1),
        /** Band collisions are confirmed on the full signature; 0.7 ≈ the LSH threshold (1/14)^(1/8). */
        minSimilarity: frac.default(0.7),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type CleaningConfig = z.infer<typeof CleaningConfigSchema>;
export type CleaningConfigInput = z.input<typeof CleaningConfigSchema>;

/** Parses and defaults a config, throwing `CleaningConfigError` listing every problem. */
export function parseCleaningConfig(input: unknown = {}): CleaningConfig {
  const r = CleaningConfigSchema.safeParse(input);
  if (!r.success) throw new CleaningConfigError(r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  return r.data;
}
