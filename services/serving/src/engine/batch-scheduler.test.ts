import type { Generator } from '@crucible/engine';
import type { Tokenizer } from '@crucible/tokenizer';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { QueueFullError } from '../serving.errors';
import { tinyModelDir } from '../testing/tiny-model';
import { BatchScheduler, type Scheduler, type SchedulerLimits } from './batch-scheduler';
import { type FinishReason, Sequence } from './sequence';
import { EngineThread } from './engine-thread';
import { WorkerScheduler } from './worker-scheduler';

interface Outcome {
  text: string;
  reason: FinishReason;
  tokens: number;
}

const SEED = 7;

// The same behaviour on this thread and on the engine thread (the gateway's default).
describe.each(['BatchScheduler', 'WorkerScheduler'] as const)('%s', (kind) => {
  let tokenizer: Tokenizer;
  let generator: Generator;
  let modelDir: string;
  let remove: () => Promise<void>;
  beforeAll(async () => {
    ({ tokenizer, generator, modelDir, remove } = await tinyModelDir(SEED));
  });
  afterAll(() => remove());

  const make = async (limits: SchedulerLimits): Promise<Scheduler<Sequence>> =>
    kind === 'BatchScheduler'
      ? new BatchScheduler<Sequence>('tiny@1', generator, limits)
      : WorkerScheduler.start({ versionId: 'tiny@1', modelDir, engine: { fp16: false, spinWait: false, threads: 1 }, limits });

  const eot = () => [tokenizer.eotToken!];
  const start = (scheduler: Scheduler<Sequence>, prompt: string, maxTokens: number, onText?: (tokens: number) => void) => {
    let text = '';
    let sequence!: Sequence;
    const done = new Promise<Outcome>((resolve, reject) => {
      sequence = new Sequence(
        { promptTokens: tokenizer.encode(prompt), maxTokens, sampling: { temperature: 0 }, seed: 1, stop: [] },
        tokenizer,
        eot(),
        {
          onText: (t, n) => {
            text += t;
            onText?.(n);
          },
          onFinish: (reason, tokens) => resolve({ text, reason, tokens }),
          onError: reject,
        },
      );
    });
    scheduler.submit(sequence);
    return { sequence, done };
  };

  /** What the engine generates for the prompt alone, greedily: the reference for batched rows. */
  const alone = async (prompt: string, maxTokens: number) => {
    const [tokens] = await generator.generate([tokenizer.encode(prompt)], { maxTokens, temperature: 0, stopTokens: eot() });
    return tokenizer.decode(tokens!);
  };

  it('rows that join a running batch and leave it early generate exactly what they generate alone', async () => {
    const scheduler = await make({ maxBatch: 8, maxQueue: 16 });
    const prompts = ['The state', 'We hold these truths to be', 'Four', 'a new nation, and the people'];
    const lengths = [20, 12, 30, 5];
    let firstTokens = 0;
    const first = start(scheduler, prompts[0]!, lengths[0]!, (n) => (firstTokens = n));
    const second = start(scheduler, prompts[1]!, lengths[1]!);
    // The others arrive while the first two are already decoding.
    let firstDone = false;
    void first.done.then(() => (firstDone = true));
    while (firstTokens < 3 && !firstDone) await new Promise((r) => setTimeout(r, 1));
    const later = [second, start(scheduler, prompts[2]!, lengths[2]!), start(scheduler, prompts[3]!, lengths[3]!)];
    const outcomes = await Promise.all([first.done, ...later.map((l) => l.done)]);
    for (const [i, outcome] of outcomes.entries()) {
      expect(outcome.text).toBe(await alone(prompts[i]!, lengths[i]!));
      expect(outcome.reason === 'length' ? outcome.tokens : lengths[i]).toBe(lengths[i]);
    }
    await scheduler.close();
  });

  it('a newcomer takes the row a finished request left, and generates exactly what it generates alone', async () => {
    const scheduler = await make({ maxBatch: 2, maxQueue: 4 });
    const fill = kind === 'BatchScheduler' ? vi.spyOn(generator, 'fillRows') : undefined;
    const long = start(scheduler, 'We hold these truths to be', 40);
    const short = start(scheduler, 'Four', 3);
    await short.done; // its row is vacant now; the long one decodes on
    const newcomer = start(scheduler, 'The state', 12); // shorter than the batch: it takes the vacant row
    const outcomes = await Promise.all([long.done, short.done, newcomer.done]);
    const expected = [['We hold these truths to be', 40], ['Four', 3], ['The state', 12]] as const;
    for (const [i, [prompt, maxTokens]] of expected.entries()) expect(outcomes[i]!.text).toBe(await alone(prompt, maxTokens));
    if (fill) expect(fill.mock.results.some((r) => r.value === true)).toBe(true);
    fill?.mockRestore();
    await scheduler.close();
  });

  it('a newcomer behind a row that runs to the end of the context goes on after it, the batch copied down', async () => {
    const scheduler = await make({ maxBatch: 2, maxQueue: 4 });
    const select = kind === 'BatchScheduler' ? vi.spyOn(generator, 'selectRows') : undefined;
    const longPrompt = 'We hold these truths to be';
    const toContextEnd = generator.config.contextLength - tokenizer.encode(longPrompt).length;
    let longTokens = 0;
    const long = start(scheduler, longPrompt, toContextEnd, (n) => (longTokens = n));
    const short = start(scheduler, 'Four', 3);
    while (longTokens < 15) await new Promise((r) => setTimeout(r, 1));
    // Right-aligned behind ~20 columns of padding: once the long row has left, the next step
    // would pass the context unless the batch is copied down (shared padding dropped).
    const newcomer = start(scheduler, 'The state', 50);
    const outcomes = await Promise.all([long.done, short.done, newcomer.done]);
    const expected = [[longPrompt, toContextEnd], ['Four', 3], ['The state', 50]] as const;
    for (const [i, [prompt, maxTokens]] of expected.entries()) expect(outcomes[i]!.text).toBe(await alone(prompt, maxTokens));
    expect(outcomes[2]!.reason === 'stop' || outcomes[2]!.tokens === 50).toBe(true);
    if (select) expect(select).toHaveBeenCalled();
    select?.mockRestore();
    await scheduler.close();
  });

  it('a cancelled row leaves at the next step while the others finish', async () => {
    const scheduler = await make({ maxBatch: 4, maxQueue: 4 });
    const seen: number[] = [];
    const victim = start(scheduler, 'The state', 40, (n) => seen.push(n));
    const other = start(scheduler, 'Four score', 10);
    while (seen.length < 2) await new Promise((r) => setTimeout(r, 1));
    victim.sequence.cancel();
    const [v, o] = await Promise.all([victim.done, other.done]);
    expect(v.reason).toBe('cancelled');
    expect(v.tokens).toBeLessThan(40);
    expect(o.text).toBe(await alone('Four score', 10));
    await scheduler.close();
  });

  it('refuses with 429 once the queue is full and serves what it admitted', async () => {
    const scheduler = await make({ maxBatch: 1, maxQueue: 2 });
    // The first joins the batch at once; two wait; the queue is then full.
    const admitted: ReturnType<typeof start>[] = [];
    const refused: unknown[] = [];
    for (const prompt of ['a', 'b', 'c', 'd', 'e']) {
      try {
        admitted.push(start(scheduler, prompt, 3));
      } catch (error) {
        refused.push(error);
      }
    }
    expect(admitted).toHaveLength(3);
    expect(refused).toHaveLength(2);
    expect(refused[0]).toBeInstanceOf(QueueFullError);
    expect((refused[0] as QueueFullError).status).toBe(429);
    expect(Number((refused[0] as QueueFullError).headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    const outcomes = await Promise.all(admitted.map((a) => a.done));
    expect(outcomes.every((o) => o.reason === 'stop' || o.tokens === 3)).toBe(true);
    await scheduler.close();
  });
});

describe('WorkerScheduler pacing', () => {
  let tokenizer: Tokenizer;
  let generator: Generator;
  let scheduler: WorkerScheduler;
  let remove: () => Promise<void>;
  let handovers = 0;
  beforeAll(async () => {
    let modelDir: string;
    ({ tokenizer, generator, modelDir, remove } = await tinyModelDir(SEED));
    scheduler = await WorkerScheduler.start(
      { versionId: 'tiny@1', modelDir, engine: { fp16: false, spinWait: false, threads: 1 }, limits: { maxBatch: 4, maxQueue: 4 } },
      { onStep: () => undefined, onHandover: () => handovers++ },
    );
  });
  afterAll(async () => {
    await scheduler.close();
    await remove();
  });

  /** One greedy sequence alone; counts the engine thread's messages for it (pacing rules one by one: engine-row.test.ts). */
  const run = async (prompt: string, maxTokens: number, deliverEvery: number | undefined, stop: readonly string[] = []) => {
    handovers = 0;
    let text = '';
    const outcome = await new Promise<{ reason: FinishReason; tokens: number }>((resolve, reject) => {
      const sequence = new Sequence(
        { promptTokens: tokenizer.encode(prompt), maxTokens, sampling: { temperature: 0 }, seed: 1, stop, ...(deliverEvery !== undefined && { deliverEvery }) },
        tokenizer,
        [],
        { onText: (t) => (text += t), onFinish: (reason, tokens) => resolve({ reason, tokens }), onError: reject },
      );
      scheduler.submit(sequence);
    });
    const [reference] = await generator.generate([tokenizer.encode(prompt)], { maxTokens, temperature: 0 });
    return { text, reference: tokenizer.decode(reference!), outcome, handovers };
  };

  it('hands every token over as it is sampled by default', async () => {
    const r = await run('The state', 12, undefined);
    expect(r.text).toBe(r.reference);
    expect(r.outcome).toEqual({ reason: 'length', tokens: 12 });
    expect(r.handovers).toBe(12);
  });

  it('gathers a JSON answer into the first token and the rest at its end', async () => {
    const r = await run('The state', 12, Number.POSITIVE_INFINITY);
    expect(r.text).toBe(r.reference);
    expect(r.outcome).toEqual({ reason: 'length', tokens: 12 });
    expect(r.handovers).toBe(2);
  });

  it('gathers a paced row in groups, the first token alone and the last group at once, with the same text', async () => {
    const r = await run('Four score and seven', 25, 8);
    expect(r.text).toBe(r.reference);
    expect(r.outcome).toEqual({ reason: 'length', tokens: 25 });
    expect(r.handovers).toBe(4); // 1 | 2–9 | 10–17 | 18–25
  });

  it('ends a row on a stop string on the engine thread: paced, the same text, and no cancel message', async () => {
    const send = vi.spyOn(EngineThread.prototype, 'send');
    const cancels = () => send.mock.calls.filter(([message]) => message.type === 'cancel').length;
    try {
      const natural = await run('The state', 12, undefined);
      expect(natural.outcome.reason).toBe('length');
      expect(cancels()).toBe(0); // the engine thread ended the row itself and said so

      const [tokens] = await generator.generate([tokenizer.encode('The state')], { maxTokens: 24, temperature: 0 });
      const stop = tokenizer.decode(tokens!.slice(10, 12));
      const full = tokenizer.decode(tokens!);
      const stopped = await run('The state', 24, 8, [stop]);
      expect(stopped.outcome.reason).toBe('stop');
      expect(stopped.text).toBe(full.slice(0, full.indexOf(stop)));
      expect(stopped.handovers).toBeLessThanOrEqual(3); // 1 | up to 8 | the rest up to the stop, at once
      expect(cancels()).toBe(0);
    } finally {
      send.mockRestore();
    }
  });
});

describe('WorkerScheduler', () => {
  it('fails a request, with the reason, when the engine thread ended its row and its sequence did not', async () => {
    const { tokenizer, modelDir, remove } = await tinyModelDir(SEED);
    const scheduler = await WorkerScheduler.start({ versionId: 'tiny@1', modelDir, engine: { fp16: false, spinWait: false, threads: 1 }, limits: { maxBatch: 1, maxQueue: 1 } });
    const original = EngineThread.prototype.send;
    // A disagreement on the rules, staged: the engine thread is told to stop after 3 tokens, the sequence after 12.
    const send = vi.spyOn(EngineThread.prototype, 'send').mockImplementation(function (this: EngineThread, message) {
      original.call(this, message.type === 'submit' ? { ...message, request: { ...message.request, maxTokens: 3 } } : message);
    });
    try {
      const outcome = new Promise<string>((resolve) => {
        const sequence = new Sequence({ promptTokens: tokenizer.encode('The state'), maxTokens: 12, sampling: { temperature: 0 }, seed: 1, stop: [] }, tokenizer, [], {
          onText: () => undefined,
          onFinish: (reason) => resolve(`finished: ${reason}`),
          onError: (error) => resolve(`failed: ${error.message}`),
        });
        scheduler.submit(sequence);
      });
      expect(await outcome).toMatch(/^failed: the engine thread ended row \d+ before its sequence ended$/);
    } finally {
      send.mockRestore();
      await scheduler.close();
      await remove();
    }
  });

  it('refuses a version it cannot load, with the reason', async () => {
    const missing = join(tmpdir(), 'no-such-model-dir');
    await expect(WorkerScheduler.start({ versionId: 'gone@1', modelDir: missing, engine: { fp16: false, spinWait: false }, limits: { maxBatch: 1, maxQueue: 1 } })).rejects.toThrow(/config\.json/);
  });
});
