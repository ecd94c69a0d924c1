import { describe, expect, it } from 'vitest';
import { type TaskModel, runTask } from './run-task';
import { parseTask } from './task-file';

/** A model whose completions are scripted per prompt and whose tokens are characters. */
function scriptedModel(answers: Record<string, string>, natsPerToken = Math.LN2): TaskModel & { batches: number[] } {
  const batches: number[] = [];
  return {
    batches,
    config: { contextLength: 16 },
    encode: (text) => Array.from(text, (c) => c.codePointAt(0)!),
    decode: (ids) => String.fromCodePoint(...Array.from(ids)),
    complete: async (prompts) => {
      batches.push(prompts.length);
      return prompts.map((p) => ({ text: ` ${answers[p] ?? ''} `, tokens: [], promptTokens: 1, truncated: false, finishReason: 'stop' as const }));
    },
    logLikelihood: async (pairs) => pairs.map((p) => -natsPerToken * Array.from(p.continuation).length),
  };
}

const generation = parseTask(
  'name: g\nkind: generation\nmetrics: [bleu, chrf, rouge, exact_match]\nexamples:\n' +
    '  - {prompt: p1, references: ["the state of the union is strong"]}\n' +
    '  - {prompt: p2, references: ["we shall nobly save"]}\n' +
    '  - {prompt: p3, references: ["liberty"]}\n',
  '/t/g.yaml',
);

describe('running a task', () => {
  it('scores perfect generations 100 / 1 with signatures, trimming whitespace, in batches', async () => {
    const model = scriptedModel({ p1: 'the state of the union is strong', p2: 'we shall nobly save', p3: 'liberty' });
    const r = await runTask(model, generation, { batchSize: 2 });
    expect(model.batches).toEqual([2, 1]);
    expect(Object.keys(r.metrics)).toEqual(['bleu', 'chrf', 'rouge1', 'rouge2', 'rougeL', 'exact_match']);
    expect(r.metrics.bleu).toBeCloseTo(100, 10);
    expect(r.metrics.chrf).toBeCloseTo(100, 10);
    // A one-word reference has no bigrams: rouge-score gives it ROUGE-2 = 0.
    expect([r.metrics.rouge1, r.metrics.rouge2, r.metrics.rougeL, r.metrics.exact_match]).toEqual([1, 2 / 3, 1, 1]);
    expect(r.signatures.bleu).toBe('nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0');
    expect(r.examples[0]!.output).toBe('the state of the union is strong');
  });

  it('scores wrong generations low', async () => {
    const r = await runTask(scriptedModel({ p1: 'taxes', p2: 'taxes', p3: 'taxes' }), generation, { batchSize: 8 });
    expect(r.metrics.bleu).toBe(0);
    expect(r.metrics.exact_match).toBe(0);
    expect(r.metrics.rougeL).toBe(0);
  });

  it('perplexity tasks: exp(Σ nats / Σ tokens) and Σ nats / (ln 2 · bytes), continuations cut to the context', async () => {
    const task = parseTask('name: p\nkind: perplexity\nexamples:\n  - {prompt: a, references: [abcd]}\n  - {prompt: b, references: ["ééééééééééééééééééééé"]}\n', '/t/p.yaml');
    const r = await runTask(scriptedModel({}), task, { batchSize: 8 });
    expect(r.metrics.perplexity).toBeCloseTo(2, 12);
    // 4 + 15 tokens (the second cut to contextLength − 1), 4 + 30 bytes, ln 2 nats per token.
    expect(r.metrics.bitsPerByte).toBeCloseTo(19 / 34, 12);
  });
});
