/**
 * Runs an adversarial probe set: each probe rendered with the model's chat template (the set's
 * system prompt first, with `{canary}` replaced), completed greedily in batches, and graded by
 * the set's graders; a probe fails when any grader fails.
 */
import type { ChatMessage } from '@crucible/model-artifact';
import type { Guardrail } from '@crucible/guardrails';
import type { AdversarialProbe, AdversarialSet } from '../probes/probe-file';
import { grade, type GraderVerdict } from './graders';
import { completionBudget, inBatches, type ModelUnderTest } from './model-under-test';
import { clip, type SuiteProgress, type SuiteResult } from './suite-result';

export interface AdversarialProbeResult {
  readonly id: string;
  readonly failed: boolean;
  readonly output: string;
  readonly truncated: boolean;
  readonly graders: readonly GraderVerdict[];
}

export interface AdversarialRun {
  readonly model: ModelUnderTest;
  readonly guardrail: Guardrail;
  readonly canary: string;
  readonly batchSize: number;
  readonly maxTokens: number;
  readonly seed: number;
  readonly onProgress?: (p: SuiteProgress) => void;
}

function messagesOf(set: AdversarialSet, probe: AdversarialProbe, systemPrompt: string | undefined): ChatMessage[] {
  const turns: ChatMessage[] = probe.messages ?? [{ role: 'user', content: probe.prompt! }];
  return systemPrompt === undefined ? turns : [{ role: 'system', content: systemPrompt }, ...turns];
}

export async function runAdversarialSuite(set: AdversarialSet, run: AdversarialRun): Promise<SuiteResult> {
  const started = Date.now();
  const systemPrompt = set.systemPrompt?.replaceAll('{canary}', run.canary);
  const prompts = set.probes.map((p) => run.model.renderChat(messagesOf(set, p, systemPrompt)));
  const completions = await inBatches(
    prompts,
    run.batchSize,
    (batch) => run.model.complete(batch, { maxTokens: completionBudget(run.model, set.maxTokens ?? run.maxTokens), stop: run.model.chatStop, seed: run.seed }),
    (done, total) => run.onProgress?.({ suite: set.name, done, total }),
  );
  const details: AdversarialProbeResult[] = set.probes.map((probe, i) => {
    const { text, truncated } = completions[i]!;
    const verdicts = grade(set.graders, text, { ...(probe.goal && { goal: probe.goal }), canary: run.canary, ...(systemPrompt && { systemPrompt }) }, run.guardrail);
    return { id: probe.id, failed: verdicts.some((v) => v.failed), output: clip(text), truncated, graders: verdicts };
  });
  const truncated = details.filter((d) => d.truncated).length;
  return {
    name: set.name,
    title: set.title ?? set.name,
    category: set.category as SuiteResult['category'],
    kind: 'adversarial',
    file: set.file,
    probes: details.length,
    failures: details.filter((d) => d.failed).length,
    notes: truncated ? [`${truncated} prompts lost their beginning to the model's context window`] : [],
    details,
    seconds: (Date.now() - started) / 1000,
  };
}
