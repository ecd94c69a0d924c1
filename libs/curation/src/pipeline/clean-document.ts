/**
 * `cleanDocument`: one document through every filter, in datatrove/FineWeb order —
 * HTML → text (HTML documents only), normalisation, language, Gopher quality, Gopher
 * repetition, PII redaction, then dedup last so that only kept documents enter the index.
 * The first rejecting filter wins; its name, reason and numbers are returned for audit.
 */
import type { CurationDocument } from '../document';
import type { DedupIndex } from '../dedup/dedup-index';
import { dedupEntry } from '../dedup/dedup-entry';
import { htmlToText } from '../html/html-to-text';
import { languageFilter } from '../language/language-filter.rule';
import { normalizeText } from '../normalize/normalize-text';
import { redactPii, type PiiKind } from '../pii/pii-redact';
import { gopherQuality } from '../quality/gopher-quality.rule';
import { gopherRepetition } from '../quality/gopher-repetition.rule';
import { splitWords } from '../text/words';
import type { CleaningConfig } from './cleaning-config';
import type { FilterName, FilterStats } from './filter-stats';

export type CleanResult =
  | {
      readonly kind: 'cleaned';
      readonly doc: CurationDocument;
      readonly language: string;
      readonly languageScore: number;
      readonly redactions: Readonly<Record<PiiKind, number>>;
    }
  | {
      readonly kind: 'rejected';
      readonly filter: FilterName;
      readonly reason: string;
      readonly details: Readonly<Record<string, unknown>>;
      /** The text as the rejecting filter saw it (for the audit trail). */
      readonly text: string;
    };

const NO_REDACTIONS: Readonly<Record<PiiKind, number>> = Object.freeze({ secret: 0, email: 0, card: 0, ip: 0, phone: 0 });

const isHtml = (doc: CurationDocument): boolean => {
  const mt = doc.mediaType ?? (typeof doc.metadata['mediaType'] === 'string' ? doc.metadata['mediaType'] : undefined);
  return mt === 'text/html' || mt === 'application/xhtml+xml';
};

/**
 * Cleans one document. `dedupIndex` null skips dedup; `stats` (optional) is updated in place.
 * @example
 * const config = parseCleaningConfig({ language: { allowed: ['en', 'fr'] } });
 * const r = await cleanDocument({ id, text, metadata: {} }, config, new MemoryDedupIndex(), stats);
 */
export async function cleanDocument(
  doc: CurationDocument,
  config: CleaningConfig,
  dedupIndex: DedupIndex | null,
  stats?: FilterStats,
): Promise<CleanResult> {
  const rejected = (filter: FilterName, reason: string, details: Readonly<Record<string, unknown>>, text: string): CleanResult => {
    stats?.removed(filter, reason);
    return { kind: 'rejected', filter, reason, details, text };
  };
  let text = doc.text;
  let mediaType = doc.mediaType;

  if (config.html.enabled && isHtml(doc)) {
    text = htmlToText(text, config.html);
    mediaType = 'text/plain';
    if (text.length === 0) return rejected('html', 'no_main_content', {}, doc.text);
    stats?.kept('html', true);
  }

  const normalized = normalizeText(text, config.normalize);
  if (normalized.length === 0) return rejected('normalize', 'empty_text', { chars: text.length }, text);
  stats?.kept('normalize', normalized !== text);
  text = normalized;

  let language = 'und';
  let languageScore = 0;
  if (config.language.enabled) {
    const { guess, verdict } = languageFilter(text, config.language);
    language = guess.language;
    languageScore = guess.score;
    if (verdict) return rejected('language', verdict.reason, verdict.details, text);
    stats?.kept('language');
  }

  const q = config.gopherQuality;
  const r = config.gopherRepetition;
  const words = q.enabled || r.enabled ? splitWords(text) : [];
  const qualityApplies = q.languages.length === 0 || !config.language.enabled || q.languages.includes(language);
  if (q.enabled && qualityApplies) {
    const verdict = gopherQuality(text, q, words);
    if (verdict) return rejected('gopher_quality', verdict.reason, verdict.details, text);
    stats?.kept('gopher_quality');
  }
  if (r.enabled) {
    const verdict = gopherRepetition(text, r, words);
    if (verdict) return rejected('gopher_repetition', verdict.reason, verdict.details, text);
    stats?.kept('gopher_repetition');
  }

  let redactions = NO_REDACTIONS;
  if (config.pii.enabled) {
    const pii = redactPii(text, config.pii);
    stats?.kept('pii', pii.text !== text);
    text = pii.text;
    redactions = pii.counts;
  }

  if (dedupIndex !== null && (config.dedup.exact || config.dedup.near)) {
    const d = config.dedup;
    const entry = dedupEntry(doc.id, text, { exact: d.exact, near: d.near, minhash: d });
    const match = await dedupIndex.checkAndAdd(entry, { near: d.near, minSimilarity: d.minSimilarity });
    if (match?.kind === 'exact') return rejected('exact_dedup', 'exact_duplicate', { duplicateOf: match.duplicateOf }, text);
    if (d.exact) stats?.kept('exact_dedup');
    if (match?.kind === 'near')
      return rejected('near_dedup', 'near_duplicate', { duplicateOf: match.duplicateOf, similarity: match.similarity }, text);
    if (d.near) stats?.kept('near_dedup');
  }

  const cleaned: CurationDocument = { id: doc.id, text, metadata: doc.metadata, ...(mediaType ? { mediaType } : {}) };
  return { kind: 'cleaned', doc: cleaned, language, languageScore, redactions };
}
