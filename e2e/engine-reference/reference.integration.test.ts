/**
 * The engine against PyTorch/transformers/peft (reference.ts) and trained on a small real corpus
 * (tiny-corpus.ts) — the checks of `npm run check:engine-reference`, as assertions. Needs no
 * Kafka/PostgreSQL (CRUCIBLE_INFRA=none skips starting them). Installs the pinned
 * requirements.txt (torch, transformers, safetensors, numpy, peft) into the bench venv on first
 * use; if that is impossible (no python3, PyPI unreachable, disk full) the suite fails with the
 * reason instead of skipping, so a broken reference never passes silently.
 */
import { describe, expect, it } from 'vitest';
import { referencePython } from './python';
import { runEngineReference } from './reference';
import { DEFAULT_TINY_STEPS as TINY_STEPS, runTinyCorpus } from './tiny-corpus';

/** The reference python, installed by the first test that asks; a failure is remembered and fails every test with its reason. */
let python: { path: string } | { error: unknown } | undefined;
function referencePythonOnce(): string {
  if (!python) {
    try {
      python = { path: referencePython() };
    } catch (error) {
      python = { error };
    }
  }
  if ('error' in python) throw python.error;
  return python.path;
}

// A cold venv downloads torch and its CUDA wheels (~3.5 GB, ~2.5 min at 75 MB/s) in whichever test runs first; ~10 s each afterwards.
const TIMEOUT = 1_800_000;

describe('engine reference check against PyTorch, transformers and peft', () => {
  it('logits, loss, two AdamW steps, the HF export under transformers and the LoRA export under peft match our engine', async () => {
    const { report, paramCount, checks } = await runEngineReference(referencePythonOnce());
    console.log(`[engine-reference] ${JSON.stringify(report)}`);
    expect(report.logits_max_abs_diff).toBeLessThan(1e-4);
    expect(report.loss_abs_diff).toBeLessThan(1e-4);
    expect(Math.abs(report.grad_norm_torch - report.grad_norm_ours)).toBeLessThan(1e-4);
    expect(report.adamw_params_max_abs_diff).toBeLessThan(1e-5);
    expect(report.adamw_step2_params_max_abs_diff).toBeLessThan(1e-5);
    expect(report.params_missing).toEqual([]);
    expect(report.params_compared).toBe(paramCount);
    expect(report.generator_logits_max_abs_diff).toBeLessThan(1e-4);
    expect(report.lora_logits_max_abs_diff).toBeLessThan(1e-4);
    expect(report.lora_changes_logits).toBeGreaterThan(1e-3);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  }, TIMEOUT);

  it(`a tiny model trained ${TINY_STEPS} steps on the pydoc corpus beats the unigram baseline; resume is exact; FP16 export holds`, async () => {
    const r = await runTinyCorpus({ steps: TINY_STEPS, python: referencePythonOnce() });
    console.log(`[engine-reference] tiny corpus: val ${r.valLoss.toFixed(4)} vs unigram ${r.unigramBaseline.toFixed(4)} nats/byte; resumed from step ${r.resume.fromStep}; FP16 ×${(r.export.fp16Bytes / r.export.fp32Bytes).toFixed(3)}, ppl change ${(r.export.pplChange * 100).toFixed(4)}%; ${r.seconds.toFixed(1)} s`);
    expect(r.losses).toHaveLength(TINY_STEPS);
    expect(r.valLoss).toBeLessThan(r.unigramBaseline - r.requiredMargin);
    expect(r.resume.fromStep).toBeLessThan(TINY_STEPS);
    expect(r.resume.losses).toEqual(r.losses);
    expect(r.resume.valLoss).toBe(r.valLoss);
    expect(r.export.fp16Bytes / r.export.fp32Bytes).toBeLessThan(0.55);
    expect(Math.abs(r.export.pplChange)).toBeLessThan(0.01);
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
  }, TIMEOUT);
});
