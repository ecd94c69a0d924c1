/**
 * The behaviour both adapters must share, written once and run against each: the embedded
 * bus in unit tests, the Kafka bus against a real broker in integration tests.
 */
import { expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { ValidationError, dlqTopic } from '@crucible/contracts';
import { type Bus, DLQ_HEADERS, type HandlerContext, type IncomingRecord } from '../bus';

export interface ConformanceFixture {
  /** A fresh bus connected to the same log every time it is called within one test. */
  makeBus(): Promise<Bus>;
  /** A topic name unique to the calling test; the fixture creates it and its dead-letter topic. */
  topic(name: string): Promise<string>;
  /** Reads every record of a topic from the beginning. */
  readAll(topic: string): Promise<{ key: string | null; value: string; headers: Record<string, string> }[]>;
}

const fast = { maxAttempts: 3, initialBackoffMs: 5, maxBackoffMs: 20, multiplier: 2 };
const rec = (key: string, value: string) => ({ key, value: Buffer.from(value) });

async function until<T>(probe: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (done(value)) return value;
      last = value;
    } catch (error) {
      last = error; // e.g. metadata of a topic created a moment ago is not everywhere yet
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value ${String(last instanceof Error ? last.message : JSON.stringify(last))}`);
    await sleep(50);
  }
}

export function busConformance(fixture: () => ConformanceFixture): void {
  it('delivers records of one key in order, with key and headers', async () => {
    const f = fixture();
    const bus = await f.makeBus();
    const topic = await f.topic('order');
    await bus.publish(topic, [1, 2, 3, 4, 5].map((n) => ({ key: 'k', value: Buffer.from(String(n)), headers: { n: String(n) } })));
    const seen: IncomingRecord[] = [];
    const sub = await bus.subscribe({ group: `${topic}-g`, topics: [topic], handler: async (r) => void seen.push(r) });
    await until(() => seen.length, (n) => n === 5);
    expect(seen.map((r) => r.value.toString())).toEqual(['1', '2', '3', '4', '5']);
    expect(seen[0]).toMatchObject({ key: 'k', headers: { n: '1' }, attempt: 1 });
    await sub.stop();
    await bus.close();
  });

  it('retries a failing handler with backoff, then succeeds without a dead letter', async () => {
    const f = fixture();
    const bus = await f.makeBus();
    const topic = await f.topic('retry');
    const attempts: number[] = [];
    await bus.publish(topic, [rec('a', 'flaky')]);
    const sub = await bus.subscribe({
      group: `${topic}-g`,
      topics: [topic],
      retry: fast,
      handler: async (r) => {
        attempts.push(r.attempt);
        if (r.attempt < 3) throw new Error('transient');
      },
    });
    await until(() => attempts.length, (n) => n === 3);
    await sub.stop();
    expect(attempts).toEqual([1, 2, 3]);
    expect(await f.readAll(dlqTopic(topic))).toEqual([]);
    await bus.close();
  });

  it('sends a non-retriable failure to the dead-letter topic at once and moves on', async () => {
    const f = fixture();
    const bus = await f.makeBus();
    const topic = await f.topic('dlq');
    await bus.publish(topic, [rec('a', 'bad'), rec('a', 'good')]);
    const handled: string[] = [];
    let badAttempts = 0;
    const sub = await bus.subscribe({
      group: `${topic}-g`,
      topics: [topic],
      retry: fast,
      handler: async (r) => {
        if (r.value.toString() === 'bad') {
          badAttempts++;
          throw new ValidationError('field x is required');
        }
        handled.push(r.value.toString());
      },
    });
    const dead = await until(() => f.readAll(dlqTopic(topic)), (rows) => rows.length === 1);
    await until(() => handled.length, (n) => n === 1);
    await sub.stop();
    expect(badAttempts).toBe(1);
    expect(dead[0]!.value).toBe('bad');
    expect(dead[0]!.headers).toMatchObject({
      [DLQ_HEADERS.reason]: 'field x is required',
      [DLQ_HEADERS.code]: 'invalid_event',
      [DLQ_HEADERS.attempts]: '1',
      [DLQ_HEADERS.topic]: topic,
    });
    await bus.close();
  });

  it('dead-letters a retriable failure after the last attempt', async () => {
    const f = fixture();
    const bus = await f.makeBus();
    const topic = await f.topic('exhaust');
    await bus.publish(topic, [rec('a', 'always-fails')]);
    let calls = 0;
    const sub = await bus.subscribe({
      group: `${topic}-g`,
      topics: [topic],
      retry: fast,
      handler: async () => {
        calls++;
        throw new Error('still down');
      },
    });
    const dead = await until(() => f.readAll(dlqTopic(topic)), (rows) => rows.length === 1);
    await sub.stop();
    expect(calls).toBe(3);
    expect(dead[0]!.headers[DLQ_HEADERS.attempts]).toBe('3');
    expect(dead[0]!.headers[DLQ_HEADERS.reason]).toBe('still down');
    await bus.close();
  });

  it('commits outputs with the input offset, so a restarted group neither reprocesses nor loses', async () => {
    const f = fixture();
    const topic = await f.topic('txn-in');
    const out = await f.topic('txn-out');
    const first = await f.makeBus();
    await first.publish(topic, ['a', 'b', 'c'].map((v) => rec(v, v)));
    const group = `${topic}-g`;
    const transform = async (r: IncomingRecord, ctx: HandlerContext) =>
      ctx.publish(out, [rec(r.key ?? '', r.value.toString().toUpperCase())]);
    const sub = await first.subscribe({ group, topics: [topic], handler: transform });
    await until(() => f.readAll(out), (rows) => rows.length === 3);
    await sub.stop();
    await first.close();

    const second = await f.makeBus();
    await second.publish(topic, [rec('d', 'd')]);
    const reprocessed: string[] = [];
    const sub2 = await second.subscribe({
      group,
      topics: [topic],
      handler: async (r, ctx) => {
        reprocessed.push(r.value.toString());
        await transform(r, ctx);
      },
    });
    const rows = await until(() => f.readAll(out), (all) => all.length === 4);
    await sub2.stop();
    expect(reprocessed).toEqual(['d']);
    expect(rows.map((r) => r.value).sort()).toEqual(['A', 'B', 'C', 'D']);
    await second.close();
  });

  it('drains on stop: the record in flight finishes and commits', async () => {
    const f = fixture();
    const bus = await f.makeBus();
    const topic = await f.topic('drain');
    const out = await f.topic('drain-out');
    await bus.publish(topic, [rec('a', 'slow')]);
    let started = false;
    const sub = await bus.subscribe({
      group: `${topic}-g`,
      topics: [topic],
      handler: async (r, ctx) => {
        started = true;
        await sleep(300);
        ctx.publish(out, [rec('a', `${r.value.toString()}-done`)]);
      },
    });
    await until(() => started, (s) => s);
    await sub.stop();
    expect((await f.readAll(out)).map((r) => r.value)).toEqual(['slow-done']);
    await bus.close();
  });
}
