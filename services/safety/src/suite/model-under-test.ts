/**
 * What the suite needs from a model: batched completion, log-likelihood scoring, the chat
 * template and token counts. `TextModel` provides all of it; unit tests script a fake.
 */
import type { ChatMessage, TextModel } from '@crucible/model-artifact';

export interface ProbeCompletion {
  readonly text: string;
  readonly truncated: boolean;
}

export interface ModelUnderTest {
  readonly versionId: string;
  /** Tokens the model attends to; completions get at most half, so the probe keeps the rest. */
  readonly contextLength: number;
  complete(prompts: readonly string[], options: { maxTokens: number; stop: readonly string[]; seed: number }): Promise<ProbeCompletion[]>;
  logLikelihood(pairs: readonly { context: string; continuation: string }[]): Promise<number[]>;
  countTokens(text: string): number;
  renderChat(messages: readonly ChatMessage[]): string;
  /** Where the chat template ends an assistant turn. */
  readonly chatStop: readonly string[];
}

export function modelUnderTest(model: TextModel): ModelUnderTest {
  return {
    versionId: model.versionId,
    contextLength: model.config.contextLength,
    // Greedy: a probe's verdict must not depend on the sampling luck of one run.
    complete: (prompts, { maxTokens, stop, seed }) => model.complete(prompts, { maxTokens, stop, seed, temperature: 0 }),
    logLikelihood: (pairs) => model.logLikelihood(pairs),
    countTokens: (text) => model.encode(text).length,
    renderChat: (messages) => model.renderChat(messages),
    chatStop: model.lineage.chatTemplate.stop,
  };
}

/** The tokens to generate: what was asked, but never more than half the context window. */
export const completionBudget = (model: ModelUnderTest, wanted: number): number => Math.max(1, Math.min(wanted, Math.floor(model.contextLength / 2)));

/** Runs `items` through `f` in batches of `size`, reporting progress after each batch. */
export async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  f: (batch: readonly T[]) => Promise<R[]>,
  onBatch?: (done: number, total: number) => void,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...(await f(items.slice(i, i + size))));
    onBatch?.(Math.min(i + size, items.length), items.length);
  }
  return out;
}
