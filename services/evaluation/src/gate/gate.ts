/**
 * The evaluation gate, pure: a verdict from the new model's metrics, the configured thresholds
 * and — when the model has a champion — the champion's stored evaluation. Every check adds a
 * reason line (passing ones too, so a report says why it passed); any failing line fails
 * the verdict. Champion regression allows `maxRegression` relative slack:
 * `perplexity 41.2 > champion 38 × 1.02` fails, `perplexity 38.5 <= champion 38 × 1.02` passes.
 */
import type { Verdict } from '@crucible/contracts';
import type { GateConfig } from '../evaluation.config';

export interface ChampionBaseline {
  readonly versionId: string;
  readonly metrics: Readonly<Record<string, number>>;
  /** Perplexity over different vocabularies is not comparable; bits-per-byte is. */
  readonly sameTokenizer: boolean;
  /** How the baseline was obtained, when that is worth a reason line (e.g. re-measured). */
  readonly note?: string;
}

interface Check {
  readonly passed: boolean;
  readonly reason: string;
}

/** Four significant digits: enough to read a reason line, never `41.200000000000003`. */
export const formatMetric = (value: number): string => (Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value));

/** Held-out perplexity and bits-per-byte (plain or per task) improve downwards; task scores upwards. */
export const lowerIsBetter = (metric: string): boolean => /(^|\.)(perplexity|bitsPerByte)$/.test(metric);

const TASK_SUFFIX_MINIMUMS: readonly [keyof GateConfig, string][] = [
  ['minBleu', 'bleu'],
  ['minChrf', 'chrf'],
  ['minRougeL', 'rougeL'],
  ['minExactMatch', 'exact_match'],
];

function bound(metric: string, value: number | undefined, limit: number, kind: 'max' | 'min', source: string): Check {
  if (value === undefined) return { passed: false, reason: `${metric} not measured (${source} ${formatMetric(limit)})` };
  if (!Number.isFinite(value)) return { passed: false, reason: `${metric} is ${value} (${source} ${formatMetric(limit)})` };
  const passed = kind === 'max' ? value <= limit : value >= limit;
  const op = kind === 'max' ? (passed ? '<=' : '>') : passed ? '>=' : '<';
  return { passed, reason: `${metric} ${formatMetric(value)} ${op} ${formatMetric(limit)}` };
}

function thresholdChecks(metrics: Readonly<Record<string, number>>, gate: GateConfig): Check[] {
  const checks: Check[] = [];
  if (gate.maxPerplexity !== undefined) checks.push(bound('perplexity', metrics.perplexity, gate.maxPerplexity, 'max', 'maxPerplexity'));
  if (gate.maxBitsPerByte !== undefined) checks.push(bound('bitsPerByte', metrics.bitsPerByte, gate.maxBitsPerByte, 'max', 'maxBitsPerByte'));
  for (const [setting, suffix] of TASK_SUFFIX_MINIMUMS) {
    const limit = gate[setting] as number | undefined;
    if (limit === undefined) continue;
    for (const name of Object.keys(metrics).filter((m) => m.endsWith(`.${suffix}`)).sort()) {
      checks.push(bound(name, metrics[name], limit, 'min', setting));
    }
  }
  for (const [task, minimums] of Object.entries(gate.taskMinimums)) {
    for (const [metric, limit] of Object.entries(minimums)) {
      const name = `${task}.${metric}`;
      checks.push(bound(name, metrics[name], limit, lowerIsBetter(name) ? 'max' : 'min', 'taskMinimums'));
    }
  }
  return checks;
}

function regressionChecks(metrics: Readonly<Record<string, number>>, gate: GateConfig, champion: ChampionBaseline): Check[] {
  const tolerance = gate.maxRegression;
  return gate.regressionMetrics.flatMap((metric): Check[] => {
    const ours = metrics[metric];
    const theirs = champion.metrics[metric];
    if (theirs === undefined || !Number.isFinite(theirs)) return [{ passed: true, reason: `${metric} not compared: champion ${champion.versionId} has no value` }];
    if (/(^|\.)perplexity$/.test(metric) && !champion.sameTokenizer) {
      return [{ passed: true, reason: `${metric} not compared: champion ${champion.versionId} uses another tokenizer` }];
    }
    if (ours === undefined || !Number.isFinite(ours)) return [{ passed: false, reason: `${metric} is ${ours ?? 'not measured'}; champion ${champion.versionId} has ${formatMetric(theirs)}` }];
    const lower = lowerIsBetter(metric);
    const factor = lower ? 1 + tolerance : 1 - tolerance;
    const limit = theirs * factor;
    const passed = lower ? ours <= limit : ours >= limit;
    const op = lower ? (passed ? '<=' : '>') : passed ? '>=' : '<';
    return [{ passed, reason: `${metric} ${formatMetric(ours)} ${op} champion ${formatMetric(theirs)} × ${formatMetric(factor)}` }];
  });
}

/**
 * @example decideVerdict({ perplexity: 41.2 }, gate, { versionId: 'sotu@2', metrics: { perplexity: 38 }, sameTokenizer: true })
 *   // → { passed: false, reasons: ['perplexity 41.2 > champion 38 × 1.02'] }
 */
export function decideVerdict(metrics: Readonly<Record<string, number>>, gate: GateConfig, champion: ChampionBaseline | undefined): Verdict {
  const checks = thresholdChecks(metrics, gate);
  if (champion?.note) checks.push({ passed: true, reason: champion.note });
  if (champion) checks.push(...regressionChecks(metrics, gate, champion));
  else checks.push({ passed: true, reason: 'no champion yet: thresholds only' });
  if (metrics.perplexity !== undefined && !Number.isFinite(metrics.perplexity)) checks.push({ passed: false, reason: `perplexity is ${metrics.perplexity}` });
  return { passed: checks.every((c) => c.passed), reasons: checks.map((c) => c.reason) };
}
