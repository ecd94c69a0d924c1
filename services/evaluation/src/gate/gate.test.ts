import { describe, expect, it } from 'vitest';
import { type GateConfig, GateSchema } from '../evaluation.config';
import { decideVerdict, formatMetric } from './gate';

const gate = (input: Partial<GateConfig> = {}): GateConfig => GateSchema.parse(input);
const champion = (metrics: Record<string, number>, sameTokenizer = true) => ({ versionId: 'sotu@2', metrics, sameTokenizer });

describe('evaluation gate: thresholds', () => {
  it('passes with no thresholds and no champion, saying so', () => {
    expect(decideVerdict({ perplexity: 50 }, gate(), undefined)).toEqual({ passed: true, reasons: ['no champion yet: thresholds only'] });
  });

  it('fails a perplexity above maxPerplexity and passes one at it', () => {
    expect(decideVerdict({ perplexity: 61 }, gate({ maxPerplexity: 60 }), undefined)).toMatchObject({ passed: false, reasons: ['perplexity 61 > 60', expect.any(String)] });
    expect(decideVerdict({ perplexity: 60 }, gate({ maxPerplexity: 60 }), undefined).passed).toBe(true);
  });

  it('applies minBleu to every task reporting BLEU, and fails a threshold whose metric was not measured', () => {
    const v = decideVerdict({ perplexity: 10, 'a.bleu': 12, 'b.bleu': 3 }, gate({ minBleu: 5, maxBitsPerByte: 2 }), undefined);
    expect(v.passed).toBe(false);
    expect(v.reasons).toEqual(['bitsPerByte not measured (maxBitsPerByte 2)', 'a.bleu 12 >= 5', 'b.bleu 3 < 5', 'no champion yet: thresholds only']);
  });

  it('checks per-task minimums by name', () => {
    const v = decideVerdict({ 'sotu-cloze.exact_match': 0.125 }, gate({ taskMinimums: { 'sotu-cloze': { exact_match: 0.25 }, other: { chrf: 10 } } }), undefined);
    expect(v.reasons.slice(0, 2)).toEqual(['sotu-cloze.exact_match 0.125 < 0.25', 'other.chrf not measured (taskMinimums 10)']);
    expect(v.passed).toBe(false);
  });

  it('fails a non-finite perplexity even without thresholds', () => {
    expect(decideVerdict({ perplexity: Number.NaN }, gate(), undefined)).toMatchObject({ passed: false, reasons: expect.arrayContaining(['perplexity is NaN']) });
  });
});

describe('evaluation gate: champion regression', () => {
  it('fails a perplexity worse than the champion beyond the 2 % tolerance, with the reason line', () => {
    const v = decideVerdict({ perplexity: 41.2, bitsPerByte: 1.5 }, gate(), champion({ perplexity: 38, bitsPerByte: 1.5 }));
    expect(v.passed).toBe(false);
    expect(v.reasons).toEqual(['perplexity 41.2 > champion 38 × 1.02', 'bitsPerByte 1.5 <= champion 1.5 × 1.02']);
  });

  it('passes exactly at the tolerance edge and fails just past it', () => {
    const edge = 38 * 1.02;
    expect(decideVerdict({ perplexity: edge }, gate(), champion({ perplexity: 38 })).passed).toBe(true);
    expect(decideVerdict({ perplexity: edge * (1 + 1e-9) }, gate(), champion({ perplexity: 38 })).passed).toBe(false);
  });

  it('compares higher-is-better metrics downwards when opted in', () => {
    const g = gate({ regressionMetrics: ['t.chrf'], maxRegression: 0.1 });
    expect(decideVerdict({ 't.chrf': 18 }, g, champion({ 't.chrf': 20 })).reasons).toEqual(['t.chrf 18 >= champion 20 × 0.9']);
    expect(decideVerdict({ 't.chrf': 17.9 }, g, champion({ 't.chrf': 20 }))).toEqual({ passed: false, reasons: ['t.chrf 17.9 < champion 20 × 0.9'] });
  });

  it('does not compare perplexity across tokenizers but still compares bits-per-byte', () => {
    const v = decideVerdict({ perplexity: 90, bitsPerByte: 2.5 }, gate(), champion({ perplexity: 40, bitsPerByte: 2 }, false));
    expect(v.reasons).toEqual(['perplexity not compared: champion sotu@2 uses another tokenizer', 'bitsPerByte 2.5 > champion 2 × 1.02']);
    expect(v.passed).toBe(false);
  });

  it('skips metrics the champion lacks, and fails one the new model lacks', () => {
    expect(decideVerdict({ perplexity: 40 }, gate(), champion({})).passed).toBe(true);
    expect(decideVerdict({}, gate({ regressionMetrics: ['perplexity'] }), champion({ perplexity: 40 }))).toEqual({
      passed: false,
      reasons: ['perplexity is not measured; champion sotu@2 has 40'],
    });
  });

  it('puts how the baseline was obtained before the comparisons', () => {
    const v = decideVerdict({ perplexity: 30 }, gate(), { ...champion({ perplexity: 40 }), note: 'champion sotu@2 re-measured' });
    expect(v).toEqual({ passed: true, reasons: ['champion sotu@2 re-measured', 'perplexity 30 <= champion 40 × 1.02', 'bitsPerByte not compared: champion sotu@2 has no value'] });
  });

  it('formats metrics to four significant digits', () => {
    expect([formatMetric(41.200000000000003), formatMetric(0.123456), formatMetric(1.02)]).toEqual(['41.2', '0.1235', '1.02']);
  });
});
