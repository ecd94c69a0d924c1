/**
 * chrF / chrF++ as sacrebleu 2.x computes it (`metrics/chrf.py`), defaults chrF2: character
 * n-grams of order 1–6 on the text with all whitespace removed, no word n-grams, β = 2.
 * Per segment, the reference giving the best F-score supplies the statistics; the corpus
 * score sums statistics and averages precision and recall over the orders both sides have
 * (sacrebleu's default, not `eps_smoothing`). Characters are code points, as Python counts them.
 */
import { SACREBLEU_VERSION } from '../sacrebleu-version';
import { codePoints, countOf, ngrams, pySplit } from '../text/python-text';

export interface ChrfOptions {
  readonly charOrder?: number;
  /** 2 gives chrF++. */
  readonly wordOrder?: number;
  readonly beta?: number;
  readonly lowercase?: boolean;
  /** Keep whitespace inside character n-grams. */
  readonly whitespace?: boolean;
  /** chrF++.py / NLTK / Moses smoothing instead of sacrebleu's effective-order average. */
  readonly epsSmoothing?: boolean;
}

export interface ChrfScore {
  /** 0–100. */
  readonly score: number;
  readonly charOrder: number;
  readonly wordOrder: number;
  readonly beta: number;
  /** e.g. `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0`. */
  readonly signature: string;
}

const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

interface Resolved {
  readonly charOrder: number;
  readonly wordOrder: number;
  readonly beta: number;
  readonly lowercase: boolean;
  readonly whitespace: boolean;
  readonly epsSmoothing: boolean;
}

const resolve = (o: ChrfOptions): Resolved => ({
  charOrder: o.charOrder ?? 6,
  wordOrder: o.wordOrder ?? 0,
  beta: o.beta ?? 2,
  lowercase: o.lowercase ?? false,
  whitespace: o.whitespace ?? false,
  epsSmoothing: o.epsSmoothing ?? false,
});

/** Splits one leading or trailing punctuation mark off each word (sacrebleu's `_remove_punctuation`). */
function wordsWithPunctuationSplit(text: string): string[] {
  const out: string[] = [];
  for (const w of pySplit(text)) {
    const chars = codePoints(w);
    if (chars.length === 1) out.push(w);
    else if (PUNCTUATION.has(chars.at(-1)!)) out.push(chars.slice(0, -1).join(''), chars.at(-1)!);
    else if (PUNCTUATION.has(chars[0]!)) out.push(chars[0]!, chars.slice(1).join(''));
    else out.push(w);
  }
  return out;
}

function allNgrams(text: string, o: Resolved): Map<string, number>[] {
  const line = o.lowercase ? text.toLowerCase() : text;
  const chars = codePoints(o.whitespace ? line : pySplit(line).join(''));
  const counts = Array.from({ length: o.charOrder }, (_, i) => countOf(ngrams(chars, i + 1, '')));
  if (o.wordOrder > 0) {
    const words = wordsWithPunctuationSplit(line);
    for (let n = 1; n <= o.wordOrder; n++) counts.push(countOf(ngrams(words, n)));
  }
  return counts;
}

/** [hyp, ref, match] per order; hyp counts only where the reference has n-grams of that order. */
function matchStats(hyp: Map<string, number>, ref: Map<string, number>): [number, number, number] {
  let match = 0;
  let hypCount = 0;
  for (const [g, c] of hyp) {
    hypCount += c;
    const r = ref.get(g);
    if (r !== undefined) match += Math.min(c, r);
  }
  let refCount = 0;
  for (const c of ref.values()) refCount += c;
  return [ref.size > 0 ? hypCount : 0, refCount, match];
}

function fScore(stats: readonly number[], o: Resolved): number {
  const eps = 1e-16;
  const factor = o.beta ** 2;
  const order = o.charOrder + o.wordOrder;
  let score = 0;
  let effective = 0;
  let avgPrec = 0;
  let avgRec = 0;
  for (let i = 0; i < order; i++) {
    const [nHyp, nRef, nMatch] = [stats[3 * i]!, stats[3 * i + 1]!, stats[3 * i + 2]!];
    const prec = nHyp > 0 ? nMatch / nHyp : eps;
    const rec = nRef > 0 ? nMatch / nRef : eps;
    const denom = factor * prec + rec;
    score += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec;
      avgRec += rec;
      effective++;
    }
  }
  if (o.epsSmoothing) return (100 * score) / order;
  if (effective === 0) avgPrec = avgRec = 0;
  else {
    avgPrec /= effective;
    avgRec /= effective;
  }
  if (avgPrec + avgRec === 0) return 0;
  // Same operation order as sacrebleu, so the float result is bit-identical.
  return 100 * (((1 + factor) * avgPrec * avgRec) / (factor * avgPrec + avgRec));
}

function segmentStats(hypothesis: string, references: readonly string[], o: Resolved): number[] {
  const hyp = allNgrams(hypothesis, o);
  let best: number[] = [];
  let bestF = -1;
  for (const reference of references) {
    const ref = allNgrams(reference, o);
    const stats = hyp.flatMap((h, i) => matchStats(h, ref[i]!));
    const f = fScore(stats, o);
    if (f > bestF) [bestF, best] = [f, stats];
  }
  return best;
}

function signatureOf(o: Resolved, nrefs: number | 'var'): string {
  return `nrefs:${nrefs}|case:${o.lowercase ? 'lc' : 'mixed'}|eff:${o.epsSmoothing ? 'no' : 'yes'}|nc:${o.charOrder}|nw:${o.wordOrder}|space:${o.whitespace ? 'yes' : 'no'}|version:${SACREBLEU_VERSION}`;
}

/**
 * Corpus chrF: statistics summed over segments, then one F-score.
 * @example corpusChrf(['the cat sat'], [['the cat sat down']]).score
 */
export function corpusChrf(hypotheses: readonly string[], references: readonly (readonly string[])[], options: ChrfOptions = {}): ChrfScore {
  if (hypotheses.length !== references.length) throw new RangeError(`${hypotheses.length} hypotheses but ${references.length} reference lists`);
  const o = resolve(options);
  const sums = new Array<number>(3 * (o.charOrder + o.wordOrder)).fill(0);
  hypotheses.forEach((hyp, i) => segmentStats(hyp, references[i]!, o).forEach((v, k) => (sums[k]! += v)));
  const counts = new Set(references.map((r) => r.length));
  const nrefs = counts.size === 1 ? [...counts][0]! : 'var';
  return { score: fScore(sums, o), charOrder: o.charOrder, wordOrder: o.wordOrder, beta: o.beta, signature: signatureOf(o, nrefs) };
}

export function sentenceChrf(hypothesis: string, references: readonly string[], options: ChrfOptions = {}): ChrfScore {
  return corpusChrf([hypothesis], [references], options);
}
