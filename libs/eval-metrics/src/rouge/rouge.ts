/**
 * ROUGE-N and ROUGE-L as Google's `rouge-score` computes them (`rouge_scorer.py`, 0.1.x),
 * with its default tokenizer: lowercase, every run of characters outside [a-z0-9] becomes a
 * space, empty tokens dropped; with `useStemmer` (rouge-score's `use_stemmer=True`) tokens
 * longer than 3 letters go through NLTK's Porter stemmer. With several references, each ROUGE type
 * takes the reference with the highest F-measure (`score_multi`). Corpus scores are the mean
 * of per-example precision, recall and F-measure (rouge-score's aggregator reports the same
 * mean as its bootstrap `mid`, without the resampling).
 */
import { countOf, ngrams } from '../text/python-text';
import { porterStem } from './porter-stemmer';

export interface RougeScore {
  readonly precision: number;
  readonly recall: number;
  readonly fmeasure: number;
}

export type RougeType = 'rouge1' | 'rouge2' | 'rougeL';
export const ROUGE_TYPES: readonly RougeType[] = ['rouge1', 'rouge2', 'rougeL'];
export type RougeScores = Readonly<Record<RougeType, RougeScore>>;

export interface RougeOptions {
  /** Porter-stem tokens longer than 3 characters, as `RougeScorer(..., use_stemmer=True)`. */
  readonly useStemmer?: boolean;
}

/** rouge-score's default tokenizer (`tokenize.tokenize`). */
export function rougeTokenize(text: string, options: RougeOptions = {}): string[] {
  const tokens = text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').split(/\s+/);
  const stemmed = options.useStemmer ? tokens.map((t) => (t.length > 3 ? porterStem(t) : t)) : tokens;
  return stemmed.filter((t) => /^[a-z0-9]+$/.test(t));
}

const fmeasure = (precision: number, recall: number): number => (precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0);

function rougeN(target: readonly string[], prediction: readonly string[], n: number): RougeScore {
  const t = countOf(ngrams(target, n));
  const p = countOf(ngrams(prediction, n));
  let overlap = 0;
  for (const [g, c] of t) overlap += Math.min(c, p.get(g) ?? 0);
  let tCount = 0;
  for (const c of t.values()) tCount += c;
  let pCount = 0;
  for (const c of p.values()) pCount += c;
  const precision = overlap / Math.max(pCount, 1);
  const recall = overlap / Math.max(tCount, 1);
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** Length of the longest common subsequence, two rows of the DP table at a time. */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Uint32Array(b.length + 1);
  let row = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) row[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    [prev, row] = [row, prev];
  }
  return prev[b.length]!;
}

function rougeL(target: readonly string[], prediction: readonly string[]): RougeScore {
  if (target.length === 0 || prediction.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const lcs = lcsLength(target, prediction);
  const precision = lcs / prediction.length;
  const recall = lcs / target.length;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** ROUGE-1, -2 and -L of one prediction against one target (`RougeScorer.score(target, prediction)`). */
export function rouge(target: string, prediction: string, options: RougeOptions = {}): RougeScores {
  const t = rougeTokenize(target, options);
  const p = rougeTokenize(prediction, options);
  return { rouge1: rougeN(t, p, 1), rouge2: rougeN(t, p, 2), rougeL: rougeL(t, p) };
}

/**
 * Against several targets: per type, the target with the highest F-measure (first on ties).
 * @example rougeMulti(['the cat sat', 'a cat sat'], 'the cat sat down').rougeL.fmeasure
 */
export function rougeMulti(targets: readonly string[], prediction: string, options: RougeOptions = {}): RougeScores {
  if (targets.length === 0) throw new RangeError('rouge needs at least one target');
  const all = targets.map((t) => rouge(t, prediction, options));
  const best = (type: RougeType): RougeScore => all.reduce((b, s) => (s[type].fmeasure > b[type].fmeasure ? s : b))[type];
  return { rouge1: best('rouge1'), rouge2: best('rouge2'), rougeL: best('rougeL') };
}

/** Mean precision, recall and F-measure per type over examples. */
export function corpusRouge(predictions: readonly string[], references: readonly (readonly string[])[], options: RougeOptions = {}): RougeScores {
  if (predictions.length !== references.length) throw new RangeError(`${predictions.length} predictions but ${references.length} reference lists`);
  const scores = predictions.map((p, i) => rougeMulti(references[i]!, p, options));
  const mean = (type: RougeType, field: keyof RougeScore): number =>
    scores.length === 0 ? 0 : scores.reduce((s, x) => s + x[type][field], 0) / scores.length;
  const of = (type: RougeType): RougeScore => ({ precision: mean(type, 'precision'), recall: mean(type, 'recall'), fmeasure: mean(type, 'fmeasure') });
  return { rouge1: of('rouge1'), rouge2: of('rouge2'), rougeL: of('rougeL') };
}
