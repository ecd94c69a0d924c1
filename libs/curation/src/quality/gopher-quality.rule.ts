/**
 * Gopher quality rules (Rae et al. 2021, "Scaling Language Models", appendix A; defaults
 * and reason names as in datatrove's `GopherQualityFilter`). A document is removed when:
 * it has fewer than 50 or more than 100 000 non-symbol words; its mean word length is
 * outside 3–10; `#` or ellipses exceed 0.1 per word; over 90% of lines start with a bullet
 * or over 30% end with an ellipsis; fewer than 80% of words contain a letter; or fewer than
 * two distinct stop words occur.
 */
import { reject, type RuleVerdict } from '../document';
import { hasAlpha, isSymbolWord } from '../text/punctuation';
import { splitWords } from '../text/words';

export interface GopherQualityOptions {
  readonly minDocWords: number | null;
  readonly maxDocWords: number | null;
  readonly minAvgWordLength: number | null;
  readonly maxAvgWordLength: number | null;
  readonly maxSymbolWordRatio: number | null;
  readonly maxBulletLinesRatio: number | null;
  readonly maxEllipsisLinesRatio: number | null;
  /** Minimum fraction of words containing a letter (datatrove's `max_non_alpha_words_ratio`). */
  readonly minAlphaWordsRatio: number | null;
  readonly minStopWords: number | null;
  readonly stopWords: readonly string[];
}

/** The Gopher paper's English stop words, as datatrove ships them. */
export const GOPHER_STOP_WORDS = ['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with'] as const;

export const GOPHER_QUALITY_DEFAULTS: GopherQualityOptions = Object.freeze({
  minDocWords: 50,
  maxDocWords: 100_000,
  minAvgWordLength: 3,
  maxAvgWordLength: 10,
  maxSymbolWordRatio: 0.1,
  maxBulletLinesRatio: 0.9,
  maxEllipsisLinesRatio: 0.3,
  minAlphaWordsRatio: 0.8,
  minStopWords: 2,
  stopWords: GOPHER_STOP_WORDS,
});

const count = (text: string, needle: string): number => {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
};

// Python's str.splitlines() boundaries.
const LINE_BREAKS = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** Applies the Gopher quality rules; `words` may be passed when already split. */
export function gopherQuality(
  text: string,
  options: GopherQualityOptions = GOPHER_QUALITY_DEFAULTS,
  words: readonly string[] = splitWords(text),
): RuleVerdict {
  const o = options;
  const nWords = words.length;
  let nonSymbol = 0;
  let nonSymbolChars = 0;
  let alphaWords = 0;
  const stop = new Set(o.stopWords);
  const stopSeen = new Set<string>();
  for (const w of words) {
    if (!isSymbolWord(w)) {
      nonSymbol++;
      nonSymbolChars += w.length;
    }
    if (hasAlpha(w)) alphaWords++;
    if (stop.has(w)) stopSeen.add(w);
  }
  if (o.minDocWords && nonSymbol < o.minDocWords) return reject('gopher_short_doc', { words: nonSymbol, min: o.minDocWords });
  if (o.maxDocWords && nonSymbol > o.maxDocWords) return reject('gopher_long_doc', { words: nonSymbol, max: o.maxDocWords });
  const avg = nonSymbol === 0 ? 0 : nonSymbolChars / nonSymbol;
  if (o.minAvgWordLength && avg < o.minAvgWordLength) return reject('gopher_below_avg_threshold', { avgWordLength: avg });
  if (o.maxAvgWordLength && avg > o.maxAvgWordLength) return reject('gopher_above_avg_threshold', { avgWordLength: avg });
  if (nWords === 0) return reject('gopher_short_doc', { words: 0 });
  if (o.maxSymbolWordRatio) {
    const hashes = count(text, '#') / nWords;
    if (hashes > o.maxSymbolWordRatio) return reject('gopher_too_many_hashes', { ratio: hashes });
    const ellipses = (count(text, '...') + count(text, '…')) / nWords;
    if (ellipses > o.maxSymbolWordRatio) return reject('gopher_too_many_ellipsis', { ratio: ellipses });
  }
  if (o.maxBulletLinesRatio || o.maxEllipsisLinesRatio) {
    const lines = text.split(LINE_BREAKS);
    // splitlines() drops the empty piece after a final line break.
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    const nLines = Math.max(lines.length, 1);
    let bullets = 0;
    let ellipsisEnds = 0;
    for (const line of lines) {
      const l = line.trimStart();
      if (l.startsWith('•') || l.startsWith('-')) bullets++;
      const r = line.trimEnd();
      if (r.endsWith('...') || r.endsWith('…')) ellipsisEnds++;
    }
    if (o.maxBulletLinesRatio && bullets / nLines > o.maxBulletLinesRatio)
      return reject('gopher_too_many_bullets', { ratio: bullets / nLines });
    if (o.maxEllipsisLinesRatio && ellipsisEnds / nLines > o.maxEllipsisLinesRatio)
      return reject('gopher_too_many_end_ellipsis', { ratio: ellipsisEnds / nLines });
  }
  if (o.minAlphaWordsRatio && alphaWords / nWords < o.minAlphaWordsRatio)
    return reject('gopher_below_alpha_threshold', { ratio: alphaWords / nWords });
  if (o.minStopWords && stopSeen.size < o.minStopWords)
    return reject('gopher_enough_stop_words', { stopWords: stopSeen.size, min: o.minStopWords });
  return null;
}
