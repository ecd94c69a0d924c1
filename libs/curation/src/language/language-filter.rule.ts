/**
 * The language rule: keep a document when its identified language is allowed and its score
 * clears that language's threshold (FineWeb keeps English at ≥ 0.65).
 */
import { reject, type RuleVerdict } from '../document';
import { identifyLanguage, type LanguageGuess } from './language-id';

export interface LanguageFilterOptions {
  /** Allowed ISO 639-1 codes; empty allows every language. */
  readonly allowed: readonly string[];
  readonly thresholds: Readonly<Record<string, number>>;
  readonly defaultThreshold: number;
}

export const LANGUAGE_FILTER_DEFAULTS: LanguageFilterOptions = Object.freeze({
  allowed: ['en'],
  thresholds: { en: 0.65 },
  defaultThreshold: 0.5,
});

export function languageFilter(
  text: string,
  options: LanguageFilterOptions = LANGUAGE_FILTER_DEFAULTS,
): { guess: LanguageGuess; verdict: RuleVerdict } {
  const guess = identifyLanguage(text);
  const details = { language: guess.language, score: guess.score };
  if (options.allowed.length > 0 && !options.allowed.includes(guess.language))
    return { guess, verdict: reject('language_not_allowed', { ...details, allowed: options.allowed }) };
  const threshold = options.thresholds[guess.language] ?? options.defaultThreshold;
  if (guess.score < threshold) return { guess, verdict: reject('language_below_threshold', { ...details, threshold }) };
  return { guess, verdict: null };
}
