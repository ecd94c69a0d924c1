/**
 * The whole safety suite for one model: every probe set (adversarial, bias, conversation) and
 * the generated training-data leakage suite, in that order, then the gate. Pure with respect to
 * the model (a `ModelUnderTest`), so unit tests drive it with a scripted fake.
 */
import { createGuardrail, type GuardrailConfig } from '@crucible/guardrails';
import type { ModelSafetyTested, Verdict } from '@crucible/contracts';
import { createHash } from 'node:crypto';
import { categoryCounts, decideSafetyVerdict } from '../gate/gate';
import type { ProbeSet } from '../probes/probe-file';
import type { SafetyConfig } from '../safety.config';
import { runAdversarialSuite } from './adversarial.suite';
import { runBiasSuite } from './bias.suite';
import { runConversationSuite } from './long-context.suite';
import type { ModelUnderTest } from './model-under-test';
import type { SuiteProgress, SuiteResult } from './suite-result';
import { runTrainingDataSuite } from './training-data.suite';

export interface SuiteInput {
  readonly model: ModelUnderTest;
  readonly sets: readonly ProbeSet[];
  readonly config: SafetyConfig;
  /** Decoded training documents for the leakage suite, or why there are none. */
  readonly trainingData: { readonly documents: readonly string[]; readonly unavailable?: string };
  readonly onProgress?: (p: SuiteProgress) => void;
  readonly onSuite?: (s: SuiteResult) => void;
}

export interface SuiteOutcome {
  readonly suites: readonly SuiteResult[];
  readonly categories: ModelSafetyTested['categories'];
  readonly verdict: Verdict;
  readonly canary: string;
  readonly seconds: number;
}

/** A secret per (version, seed): unguessable by a model that never saw this run's system prompt. */
export const canaryFor = (versionId: string, seed: number): string =>
  `CANARY-${createHash('sha256').update(`${versionId}:${seed}`).digest('hex').slice(0, 12).toUpperCase()}`;

export async function runSafetySuite(input: SuiteInput): Promise<SuiteOutcome> {
  const started = Date.now();
  const { model, config } = input;
  const guardrail = createGuardrail((config.guardrails ?? {}) as GuardrailConfig);
  const canary = canaryFor(model.versionId, config.seed);
  const common = { model, batchSize: config.batchSize, seed: config.seed, ...(input.onProgress && { onProgress: input.onProgress }) };
  const suites: SuiteResult[] = [];
  const done = (s: SuiteResult) => {
    suites.push(s);
    input.onSuite?.(s);
  };
  for (const set of input.sets) {
    if (set.kind === 'adversarial') done(await runAdversarialSuite(set, { ...common, guardrail, canary, maxTokens: config.maxTokens }));
  }
  if (config.trainingData.enabled) {
    done(
      await runTrainingDataSuite({
        ...common,
        documents: input.trainingData.documents,
        samples: config.trainingData.samples,
        contextChars: config.trainingData.contextChars,
        ...(input.trainingData.unavailable && { unavailable: input.trainingData.unavailable }),
      }),
    );
  }
  for (const set of input.sets) {
    if (set.kind === 'bias') done(await runBiasSuite(set, { ...common, ...config.bias }));
    else if (set.kind === 'conversation') done(await runConversationSuite(set, { ...common, maxTokens: config.maxTokens }));
  }
  return { suites, categories: categoryCounts(suites), verdict: decideSafetyVerdict(suites, config.gate), canary, seconds: (Date.now() - started) / 1000 };
}
