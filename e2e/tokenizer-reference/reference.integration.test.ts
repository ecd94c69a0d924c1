/**
 * Our trained tokenizers, written as tokenizer.json, give identical ids in Hugging Face
 * `tokenizers`. Needs no Kafka/PostgreSQL (run with CRUCIBLE_INFRA=none to skip starting them);
 * installs `tokenizers` into the bench venv when missing and skips only if that is impossible.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensurePython } from '@crucible/tokenizer/testing';
import { runReferenceCheck } from './reference-check';

function pythonProblem(): string | undefined {
  try {
    ensurePython(['tokenizers'], ['tokenizers']);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('tokenizer reference check against Hugging Face tokenizers', () => {
  const problem = pythonProblem();
  it.skipIf(problem !== undefined)(`ids are identical${problem === undefined ? '' : ` (skipped: python tokenizers unavailable: ${problem})`}`, async () => {
    const result = await runReferenceCheck({ outDir: mkdtempSync(join(tmpdir(), 'tokenizer-reference-')), trainBytes: 5e5, vocabSize: 1500 });
    for (const r of result.summary.results) expect({ file: r.file, mismatches: r.mismatches }).toEqual({ file: r.file, mismatches: [] });
    expect(result.ok).toBe(true);
  }, 300_000); // ≈ 12 s of CPU; the margin is for a shared, loaded machine
});
