import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkQueue } from './work-queue';

describe('WorkQueue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('deduplicates a key that is queued', async () => {
    const q = new WorkQueue();
    q.add('ns/a');
    q.add('ns/a');
    q.add('ns/b');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('ns/a');
    expect(await q.get()).toBe('ns/b');
  });

  it('never hands out a key being processed; re-queues it after done', async () => {
    const q = new WorkQueue();
    q.add('ns/a');
    const key = await q.get();
    q.add('ns/a');
    expect(q.length).toBe(0);
    q.done(key!);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('ns/a');
  });

  it('wakes a waiting getter', async () => {
    const q = new WorkQueue();
    const next = q.get();
    q.add('ns/x');
    expect(await next).toBe('ns/x');
  });

  it('backs off exponentially per key, capped, and forget resets', () => {
    const q = new WorkQueue({ baseDelayMs: 100, maxDelayMs: 1_000 });
    expect([1, 2, 3, 4, 5, 6].map(() => q.addRateLimited('ns/a'))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(q.addRateLimited('ns/b')).toBe(100);
    q.forget('ns/a');
    expect(q.failuresOf('ns/a')).toBe(0);
  });

  it('adds a delayed key only after its delay', async () => {
    const q = new WorkQueue();
    q.addAfter('ns/a', 1_000);
    vi.advanceTimersByTime(999);
    expect(q.length).toBe(0);
    vi.advanceTimersByTime(1);
    expect(q.length).toBe(1);
  });

  it('keeps the earlier of two delays for a key: a short requeue is not held behind a pending resync', async () => {
    const q = new WorkQueue();
    q.addAfter('ns/a', 60_000); // a settled object's resync
    q.addAfter('ns/a', 300); // then a rollout started: look again soon
    vi.advanceTimersByTime(300);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('ns/a');
    q.done('ns/a');
    q.addAfter('ns/b', 300);
    q.addAfter('ns/b', 60_000); // a later delay does not postpone the earlier one
    vi.advanceTimersByTime(300);
    expect(await q.get()).toBe('ns/b');
    q.done('ns/b');
    vi.advanceTimersByTime(60_000);
    expect(q.length).toBe(0); // the dropped later delay never fires
  });

  it('releases getters on shutdown and ignores later adds', async () => {
    const q = new WorkQueue();
    const next = q.get();
    q.shutdown();
    expect(await next).toBeUndefined();
    q.add('ns/a');
    expect(q.length).toBe(0);
  });
});
