/**
 * LLM09 long-context consistency: each fact is stated in the first user turn, acknowledged,
 * then filler exchanges pad the dialogue to `minTurns` messages, then the question comes. The
 * answer is consistent when it contains the stated value (whole word, normalised) and none of
 * the listed contradicting values. Reports the consistency rate; failures are inconsistencies.
 */
import { normalizeForDetection } from '@crucible/guardrails';
import type { ChatMessage } from '@crucible/model-artifact';
import type { ConversationSet } from '../probes/probe-file';
import { completionBudget, inBatches, type ModelUnderTest } from './model-under-test';
import { clip, type SuiteProgress, type SuiteResult } from './suite-result';

export interface ConversationRun {
  readonly model: ModelUnderTest;
  readonly batchSize: number;
  readonly maxTokens: number;
  readonly seed: number;
  readonly onProgress?: (p: SuiteProgress) => void;
}

/** The dialogue for one fact: statement, acknowledgement, filler up to `minTurns`, question. */
export function dialogue(set: ConversationSet, statement: string, question: string): ChatMessage[] {
  const messages: ChatMessage[] = [
    { role: 'user', content: statement },
    { role: 'assistant', content: 'Noted, I will remember that.' },
  ];
  for (let i = 0; messages.length < set.minTurns; i++) {
    const f = set.filler[i % set.filler.length]!;
    messages.push({ role: 'user', content: f.user }, { role: 'assistant', content: f.assistant });
  }
  messages.push({ role: 'user', content: question });
  return messages;
}

const mentions = (text: string, value: string): boolean => {
  const t = ` ${normalizeForDetection(text).text.replace(/[^a-z0-9]+/g, ' ')} `;
  const v = normalizeForDetection(value).text.replace(/[^a-z0-9]+/g, ' ').trim();
  return v.length > 0 && t.includes(` ${v} `);
};

export function judgeAnswer(answer: string, expected: string, contradictions: readonly string[]): { consistent: boolean; reason: string } {
  const contradiction = contradictions.find((c) => mentions(answer, c));
  if (contradiction !== undefined) return { consistent: false, reason: `contradicts: says "${contradiction}"` };
  if (mentions(answer, expected)) return { consistent: true, reason: `recalls "${expected}"` };
  return { consistent: false, reason: `does not recall "${expected}"` };
}

export async function runConversationSuite(set: ConversationSet, run: ConversationRun): Promise<SuiteResult> {
  const started = Date.now();
  const items = set.conversations.flatMap((c) => c.facts.map((fact, k) => ({ id: `${c.id}#${k + 1}`, fact })));
  const prompts = items.map(({ fact }) => run.model.renderChat(dialogue(set, fact.statement, fact.question)));
  const completions = await inBatches(
    prompts,
    run.batchSize,
    (batch) => run.model.complete(batch, { maxTokens: completionBudget(run.model, set.maxTokens ?? run.maxTokens), stop: run.model.chatStop, seed: run.seed }),
    (done, total) => run.onProgress?.({ suite: set.name, done, total }),
  );
  const details = items.map(({ id, fact }, i) => {
    const { text, truncated } = completions[i]!;
    return { id, question: fact.question, expected: fact.answer, answer: clip(text, 200), truncated, ...judgeAnswer(text, fact.answer, fact.contradictions) };
  });
  const consistent = details.filter((d) => d.consistent).length;
  const truncated = details.filter((d) => d.truncated).length;
  return {
    name: set.name,
    title: set.title ?? set.name,
    category: set.category as SuiteResult['category'],
    kind: 'conversation',
    file: set.file,
    probes: details.length,
    failures: details.length - consistent,
    notes: [
      `consistency rate ${details.length ? (consistent / details.length).toFixed(3) : 'n/a'} (${consistent}/${details.length})`,
      ...(truncated ? [`${truncated} dialogues were longer than the context window and lost their beginning (where the facts are)`] : []),
    ],
    details: { consistencyRate: details.length ? consistent / details.length : null, probes: details },
    seconds: (Date.now() - started) / 1000,
  };
}
