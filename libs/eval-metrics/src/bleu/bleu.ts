/**
 * BLEU as sacrebleu 2.x computes it (`metrics/bleu.py`): per segment, hypothesis n-gram
 * counts clipped by the maximum count over the references, the closest reference length
 * (ties → the shorter); the corpus score sums these statistics and applies the brevity
 * penalty and smoothing once. Defaults are sacrebleu's: 13a tokenizer, mixed case, `exp`
 * smoothing, max order 4, effective order off for corpus BLEU and on for sentence BLEU
 * (as `sacrebleu.sentence_bleu`). Scores are on sacrebleu's 0–100 scale, unrounded.
 */
import { SACREBLEU_VERSION } from '../sacrebleu-version';
import { countOf, ngrams, pyRstrip, pySplit } from '../text/python-text';
import { tokenize13a } from './tokenizer-13a';

export type BleuSmoothing = 'none' | 'floor' | 'add-k' | 'exp';

export interface BleuOptions {
  readonly lowercase?: boolean;
  /** `13a` (sacrebleu's default) or `none` (whitespace split only). */
  readonly tokenize?: '13a' | 'none';
  readonly smoothMethod?: BleuSmoothing;
  /** For `floor` (default 0.1) and `add-k` (default 1). */
  readonly smoothValue?: number;
  readonly maxNgramOrder?: number;
  /** Average only over orders the hypothesis has n-grams of; sacrebleu's advice for sentence BLEU. */
  readonly effectiveOrder?: boolean;
}

export interface BleuScore {
  /** 0–100. */
  readonly score: number;
  readonly counts: readonly number[];
  readonly totals: readonly number[];
  /** Per-order precisions, 0–100, after smoothing. */
  readonly precisions: readonly number[];
  readonly brevityPenalty: number;
  readonly sysLen: number;
  readonly refLen: number;
  /** sacrebleu's reproducibility signature, e.g. `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0`. */
  readonly signature: string;
}

const SMOOTH_DEFAULTS: Readonly<Record<BleuSmoothing, number | undefined>> = { none: undefined, floor: 0.1, 'add-k': 1, exp: undefined };

/** sacrebleu's `my_log`: log, floored for zero so a missing order zeroes the score. */
const flooredLog = (x: number): number => (x === 0 ? -9999999999 : Math.log(x));

interface Resolved {
  readonly lowercase: boolean;
  readonly tokenize: '13a' | 'none';
  readonly smoothMethod: BleuSmoothing;
  readonly smoothValue: number | undefined;
  readonly maxOrder: number;
  readonly effectiveOrder: boolean;
}

const resolve = (o: BleuOptions, effectiveDefault: boolean): Resolved => ({
  lowercase: o.lowercase ?? false,
  tokenize: o.tokenize ?? '13a',
  smoothMethod: o.smoothMethod ?? 'exp',
  smoothValue: o.smoothValue ?? SMOOTH_DEFAULTS[o.smoothMethod ?? 'exp'],
  maxOrder: o.maxNgramOrder ?? 4,
  effectiveOrder: o.effectiveOrder ?? effectiveDefault,
});

function preprocess(text: string, o: Resolved): string[] {
  const cased = o.lowercase ? text.toLowerCase() : text;
  const stripped = pyRstrip(cased);
  return pySplit(o.tokenize === '13a' ? tokenize13a(stripped) : stripped);
}

/** n-gram counts per order (index n-1) of one token list. */
const orderCounts = (tokens: readonly string[], maxOrder: number): Map<string, number>[] =>
  Array.from({ length: maxOrder }, (_, i) => countOf(ngrams(tokens, i + 1)));

function closestRefLength(hypLen: number, refLens: readonly number[]): number {
  let bestDiff = -1;
  let best = -1;
  for (const len of refLens) {
    const diff = Math.abs(hypLen - len);
    if (bestDiff === -1 || diff < bestDiff) [bestDiff, best] = [diff, len];
    else if (diff === bestDiff && len < best) best = len;
  }
  return best;
}

/** Sufficient statistics of one segment: [sysLen, refLen, correct…, total…]. */
function segmentStats(hypothesis: string, references: readonly string[], o: Resolved): number[] {
  const refMax = Array.from({ length: o.maxOrder }, () => new Map<string, number>());
  const refLens: number[] = [];
  for (const ref of references) {
    const tokens = preprocess(ref, o);
    refLens.push(tokens.length);
    orderCounts(tokens, o.maxOrder).forEach((counts, n) => {
      for (const [g, c] of counts) refMax[n]!.set(g, Math.max(refMax[n]!.get(g) ?? 0, c));
    });
  }
  const hyp = preprocess(hypothesis, o);
  const correct = new Array<number>(o.maxOrder).fill(0);
  const total = new Array<number>(o.maxOrder).fill(0);
  orderCounts(hyp, o.maxOrder).forEach((counts, n) => {
    for (const [g, c] of counts) {
      total[n]! += c;
      correct[n]! += Math.min(c, refMax[n]!.get(g) ?? 0);
    }
  });
  return [hyp.length, closestRefLength(hyp.length, refLens), ...correct, ...total];
}

function scoreFromStats(stats: readonly number[], o: Resolved, signature: string): BleuScore {
  const [sysLen, refLen] = [stats[0]!, stats[1]!];
  const correct = stats.slice(2, 2 + o.maxOrder);
  const total = stats.slice(2 + o.maxOrder);
  const brevityPenalty = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = new Array<number>(o.maxOrder).fill(0);
  const base = { counts: correct, totals: total, precisions, brevityPenalty, sysLen, refLen, signature };
  if (!correct.some((c) => c !== 0)) return { score: 0, ...base };
  let smoothMteval = 1;
  let effOrder = o.maxOrder;
  for (let n = 1; n <= o.maxOrder; n++) {
    if (o.smoothMethod === 'add-k' && n > 1) {
      correct[n - 1]! += o.smoothValue!;
      total[n - 1]! += o.smoothValue!;
    }
    if (total[n - 1] === 0) break;
    if (o.effectiveOrder) effOrder = n;
    if (correct[n - 1] === 0) {
      if (o.smoothMethod === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * total[n - 1]!);
      } else if (o.smoothMethod === 'floor') {
        precisions[n - 1] = (100 * o.smoothValue!) / total[n - 1]!;
      }
    } else {
      precisions[n - 1] = (100 * correct[n - 1]!) / total[n - 1]!;
    }
  }
  // Summed in order, as Python's sum() does, so the float result is the same.
  let logSum = 0;
  for (const p of precisions.slice(0, effOrder)) logSum += flooredLog(p);
  return { score: brevityPenalty * Math.exp(logSum / effOrder), ...base };
}

function signatureOf(o: Resolved, nrefs: number | 'var'): string {
  const smoothDefault = SMOOTH_DEFAULTS[o.smoothMethod];
  const smooth = smoothDefault === undefined ? o.smoothMethod : `${o.smoothMethod}[${(o.smoothValue ?? smoothDefault).toFixed(2)}]`;
  const kase = o.lowercase ? 'lc' : 'mixed';
  return `nrefs:${nrefs}|case:${kase}|eff:${o.effectiveOrder ? 'yes' : 'no'}|tok:${o.tokenize}|smooth:${smooth}|version:${SACREBLEU_VERSION}`;
}

/** sacrebleu's `nrefs`: the count when every segment has the same number of references, else `var`. */
export function referenceCount(references: readonly (readonly string[])[]): number | 'var' {
  const counts = new Set(references.map((r) => r.length));
  return counts.size === 1 ? [...counts][0]! : 'var';
}

function checkShapes(hypotheses: readonly string[], references: readonly (readonly string[])[]): void {
  if (hypotheses.length !== references.length) throw new RangeError(`${hypotheses.length} hypotheses but ${references.length} reference lists`);
  const empty = references.findIndex((r) => r.length === 0);
  if (empty >= 0) throw new RangeError(`segment ${empty} has no reference`);
}

/**
 * Corpus BLEU. `references[i]` are the references of `hypotheses[i]` (one or more each).
 * @example corpusBleu(['the cat sat'], [['the cat sat down']]).score
 */
export function corpusBleu(hypotheses: readonly string[], references: readonly (readonly string[])[], options: BleuOptions = {}): BleuScore {
  checkShapes(hypotheses, references);
  const o = resolve(options, false);
  const sums = new Array<number>(2 + 2 * o.maxOrder).fill(0);
  hypotheses.forEach((hyp, i) => segmentStats(hyp, references[i]!, o).forEach((v, k) => (sums[k]! += v)));
  return scoreFromStats(sums, o, signatureOf(o, referenceCount(references)));
}

/** Sentence BLEU as `sacrebleu.sentence_bleu` (effective order on by default). */
export function sentenceBleu(hypothesis: string, references: readonly string[], options: BleuOptions = {}): BleuScore {
  checkShapes([hypothesis], [references]);
  const o = resolve(options, true);
  return scoreFromStats(segmentStats(hypothesis, references, o), o, signatureOf(o, references.length));
}
