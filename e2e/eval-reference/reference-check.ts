/**
 * Scores the fixed vectors (vectors.ts) with @crucible/eval-metrics and, in the same run, with
 * PyPI `sacrebleu` and `rouge-score` (check.py, in the bench venv, installed on first use;
 * a PyPI failure throws): corpus BLEU (3 variants), corpus chrF (3 variants), sentence BLEU,
 * sentence chrF and ROUGE-1/2/L P/R/F per pair (with and without the Porter stemmer), Porter
 * stems of every distinct word of several addresses (vs NLTK), and SQuAD exact match. Every number must agree
 * within `tolerance`, counts and signatures exactly.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROUGE_TYPES, SACREBLEU_VERSION, corpusBleu, corpusChrf, exactMatch, normalizeAnswer, porterStem, rougeMulti, sentenceBleu, sentenceChrf } from '@crucible/eval-metrics';
import { ensurePython } from '@crucible/tokenizer/testing';
import { ANSWERS, PAIRS, stemmerWords } from './vectors';

export const PYTHON_PACKAGES = [`sacrebleu==${SACREBLEU_VERSION}`, 'rouge-score==0.1.2', 'nltk'];

export interface Comparison {
  readonly name: string;
  readonly ours: number | string | boolean;
  readonly theirs: number | string | boolean;
}

export interface ReferenceCheckResult {
  readonly ok: boolean;
  /** Distinct words whose Porter stems were compared with NLTK's. */
  readonly stemmedWords: number;
  readonly sacrebleuVersion: string;
  readonly compared: number;
  /** Largest |ours − theirs| over every numeric comparison. */
  readonly maxAbsDiff: number;
  readonly failures: readonly Comparison[];
}

interface PythonBleu { score: number; counts: number[]; totals: number[]; bp: number; sys_len: number; ref_len: number; signature: string }
interface PythonOutput {
  sacrebleu_version: string;
  corpus: Record<string, PythonBleu & { signature: string }>;
  segments: { sentence_bleu: number; sentence_chrf: number; rouge: Record<string, [number, number, number]>; rouge_stemmed: Record<string, [number, number, number]> }[];
  answers: { normalized: string; match: boolean }[];
  stems: string[];
}

function runPython(words: readonly string[]): PythonOutput {
  const python = ensurePython(['sacrebleu', 'rouge_score', 'nltk'], PYTHON_PACKAGES);
  const dir = mkdtempSync(join(tmpdir(), 'eval-reference-'));
  writeFileSync(join(dir, 'cases.json'), JSON.stringify({ pairs: PAIRS, answers: ANSWERS, words }));
  const run = spawnSync(python, [join(__dirname, 'check.py'), join(dir, 'cases.json')], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`check.py failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as PythonOutput;
}

export function runReferenceCheck(tolerance = 1e-6): ReferenceCheckResult {
  const words = stemmerWords();
  const py = runPython(words);
  const hyps = PAIRS.map((p) => p.hypothesis);
  const refs = PAIRS.map((p) => p.references);
  const comparisons: Comparison[] = [];
  const add = (name: string, ours: Comparison['ours'], theirs: Comparison['theirs']) => comparisons.push({ name, ours, theirs });

  const bleus = { bleu: corpusBleu(hyps, refs), bleu_single_ref: corpusBleu(hyps, refs.map((r) => [r[0]!])), bleu_lowercase: corpusBleu(hyps, refs, { lowercase: true }) };
  for (const [name, ours] of Object.entries(bleus)) {
    const theirs = py.corpus[name]!;
    add(`${name}.score`, ours.score, theirs.score);
    add(`${name}.bp`, ours.brevityPenalty, theirs.bp);
    add(`${name}.counts`, ours.counts.join(','), theirs.counts.join(','));
    add(`${name}.totals`, ours.totals.join(','), theirs.totals.join(','));
    add(`${name}.lengths`, `${ours.sysLen}/${ours.refLen}`, `${theirs.sys_len}/${theirs.ref_len}`);
    add(`${name}.signature`, ours.signature, theirs.signature);
  }
  const chrfs = { chrf: corpusChrf(hyps, refs), chrf_plusplus: corpusChrf(hyps, refs, { wordOrder: 2 }), chrf_whitespace: corpusChrf(hyps, refs, { whitespace: true }) };
  for (const [name, ours] of Object.entries(chrfs)) {
    add(`${name}.score`, ours.score, py.corpus[name]!.score);
    add(`${name}.signature`, ours.signature, py.corpus[name]!.signature);
  }
  PAIRS.forEach((p, i) => {
    const theirs = py.segments[i]!;
    add(`pair ${i} sentence_bleu`, sentenceBleu(p.hypothesis, p.references).score, theirs.sentence_bleu);
    add(`pair ${i} sentence_chrf`, sentenceChrf(p.hypothesis, p.references).score, theirs.sentence_chrf);
    for (const [variant, useStemmer] of [['rouge', false], ['rouge_stemmed', true]] as const) {
      const rouge = rougeMulti(p.references, p.hypothesis, { useStemmer });
      for (const type of ROUGE_TYPES) {
        const [precision, recall, fmeasure] = theirs[variant][type]!;
        add(`pair ${i} ${variant} ${type}.precision`, rouge[type].precision, precision);
        add(`pair ${i} ${variant} ${type}.recall`, rouge[type].recall, recall);
        add(`pair ${i} ${variant} ${type}.fmeasure`, rouge[type].fmeasure, fmeasure);
      }
    }
  });
  // Stems are compared word by word but counted as one comparison, so they don't swamp the count.
  const stemMismatches = words.flatMap((w, i) => (porterStem(w) === py.stems[i] ? [] : [`${w}: ours ${porterStem(w)}, nltk ${py.stems[i]}`]));
  add(`porter stems of ${words.length} words (mismatches)`, stemMismatches.slice(0, 10).join(' '), '');
  ANSWERS.forEach((a, i) => {
    add(`answer ${i} normalized`, normalizeAnswer(a.hypothesis), py.answers[i]!.normalized);
    add(`answer ${i} match`, exactMatch(a.hypothesis, a.references), py.answers[i]!.match);
  });

  let maxAbsDiff = 0;
  const failures = comparisons.filter((c) => {
    if (typeof c.ours === 'number' && typeof c.theirs === 'number') {
      const diff = Math.abs(c.ours - c.theirs);
      maxAbsDiff = Math.max(maxAbsDiff, diff);
      return !(diff <= tolerance);
    }
    return c.ours !== c.theirs;
  });
  return { ok: failures.length === 0, stemmedWords: words.length, sacrebleuVersion: py.sacrebleu_version, compared: comparisons.length, maxAbsDiff, failures };
}
