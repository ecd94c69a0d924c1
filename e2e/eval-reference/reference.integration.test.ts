/**
 * Our metrics agree with sacrebleu and rouge-score within 1e-6. Needs no Kafka/PostgreSQL.
 * Installs the pinned Python packages into the bench venv when missing; if that is impossible
 * (no python3, PyPI unreachable) the test fails with the reason instead of skipping, so a
 * broken reference never passes silently.
 */
import { describe, expect, it } from 'vitest';
import { runReferenceCheck } from './reference-check';

describe('metric reference check against sacrebleu, rouge-score and NLTK', () => {
  it('BLEU, chrF, ROUGE (with and without stemming), Porter stems and exact match agree on every vector', () => {
    const result = runReferenceCheck(1e-6);
    expect(result.failures).toEqual([]);
    expect(result.compared).toBeGreaterThan(600);
    expect(result.stemmedWords).toBeGreaterThan(5000);
    expect(result.maxAbsDiff).toBeLessThanOrEqual(1e-6);
  }, 300_000); // pip install on first use; about 12 s afterwards
});
