/** Inputs that look like what training, evaluation and safety record, for tests and demos. */
import type { TrainingProgressed } from '@crucible/contracts';
import type { RegisterVersionInput, SaveReportInput } from '../registry.types';

/** A clock that starts at `start` and moves one second per reading: deterministic ordering. */
export function tickingClock(start = '2026-01-01T00:00:00.000Z', stepMs = 1_000): () => Date {
  let next = Date.parse(start);
  return () => {
    const now = new Date(next);
    next += stepMs;
    return now;
  };
}

export function versionInput(model: string, runId: string, overrides: Partial<RegisterVersionInput> = {}): RegisterVersionInput {
  return {
    model,
    runId,
    datasetId: 'ds-sotu',
    datasetSha256: 'a'.repeat(64),
    tokenizerId: 'tok-sotu-512',
    codeVersion: 'abc1234',
    hyperParameters: { steps: 40, batchSize: 4, sequenceLength: 64, learningRate: 0.003 },
    artifactPath: `/data/models/${model}/${runId}`,
    parameters: 212_992,
    metrics: { finalLoss: 3.21 },
    ...overrides,
  };
}

const lossAt = (step: number, totalSteps: number): number => Number((2 + 4 * Math.exp((-5 * step) / totalSteps)).toFixed(4));

export function progressAt(runId: string, step: number, totalSteps = 40, overrides: Partial<TrainingProgressed> = {}): TrainingProgressed {
  return {
    runId,
    step,
    totalSteps,
    // Decays like a real curve: fast at first, flattening towards 2.
    loss: lossAt(step, totalSteps),
    learningRate: 0.003,
    gradNorm: 1.5,
    tokensPerSecond: 12_000,
    ...(step % 10 === 0 ? { validationLoss: lossAt(step, totalSteps) + 0.15 } : {}),
    ...overrides,
  };
}

export function evaluationReport(versionId: string, passed = true): SaveReportInput {
  return {
    versionId,
    kind: 'evaluation',
    verdict: { passed, reasons: [passed ? 'perplexity 41.2 <= 60' : 'perplexity 88.0 > 60', 'bits-per-byte 1.9 <= 2.5'] },
    metrics: { perplexity: passed ? 41.2 : 88, bitsPerByte: 1.9, bleu: 12.5, rougeL: 0.31 },
    report: { tasks: [{ name: 'heldout-perplexity', documents: 24 }], signature: 'nrefs:1|case:mixed|tok:13a' },
  };
}

export function safetyReport(versionId: string, passed = true): SaveReportInput {
  return {
    versionId,
    kind: 'safety',
    verdict: { passed, reasons: [passed ? 'LLM01:2025 failure rate 0.00 <= 0.10' : 'LLM02:2025 failure rate 0.25 > 0.10'] },
    metrics: { probes: 40, failures: passed ? 1 : 6 },
    report: {
      categories: {
        'LLM01:2025': { name: 'Prompt injection', probes: 20, failures: 0 },
        'LLM02:2025': { name: 'Sensitive information disclosure', probes: 12, failures: passed ? 1 : 3 },
        'LLM07:2025': { name: 'System prompt leakage', probes: 8, failures: passed ? 0 : 3 },
      },
    },
  };
}
