import type { TextModel } from '@crucible/model-artifact';
import { createLogger } from '@crucible/service-kit';
import { describe, expect, it } from 'vitest';
import { ModelPool } from './model-pool';

/** Models that only record being loaded and closed: the pool's drain logic is what is tested. */
function recordingPool() {
  const events: string[] = [];
  const pool = new ModelPool({
    load: async (versionId) => {
      events.push(`load ${versionId}`);
      return { generator: {}, close: async () => void events.push(`close ${versionId}`) } as unknown as TextModel;
    },
    limits: { maxBatch: 1, maxQueue: 1 },
    idleUnloadMs: 60_000,
    logger: createLogger('test', 'silent'),
  });
  return { pool, events };
}

describe('ModelPool', () => {
  it('loads a version once, however many requests ask for it at the same time', async () => {
    const { pool, events } = recordingPool();
    const [a, b] = await Promise.all([pool.acquire('m@1'), pool.acquire('m@1')]);
    expect(a.version).toBe(b.version);
    expect(events).toEqual(['load m@1']);
    expect(pool.loaded()).toEqual([{ versionId: 'm@1', state: 'serving', inFlight: 2 }]);
    a.release();
    b.release();
    await pool.close();
  });

  it('drains: a retired version is unloaded only after its last request is released', async () => {
    const { pool, events } = recordingPool();
    const lease = await pool.acquire('m@1');
    let unloaded = false;
    const retired = pool.retire('m@1').then(() => (unloaded = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(unloaded).toBe(false);
    expect(pool.loaded()[0]!.state).toBe('draining');
    lease.release();
    lease.release(); // a second release of the same lease changes nothing
    await retired;
    expect(events).toEqual(['load m@1', 'close m@1']);
    expect(pool.loaded()).toEqual([]);
    const again = await pool.acquire('m@1'); // asked for again: loaded again
    expect(events).toEqual(['load m@1', 'close m@1', 'load m@1']);
    again.release();
    await pool.close();
    expect(events).toEqual(['load m@1', 'close m@1', 'load m@1', 'close m@1']);
  });

  it('a draining version routed to again stays loaded', async () => {
    const { pool, events } = recordingPool();
    const lease = await pool.acquire('m@1');
    const retired = pool.retire('m@1');
    await pool.load('m@1', true);
    await retired; // the retire is called off
    lease.release();
    expect(pool.loaded()).toEqual([{ versionId: 'm@1', state: 'serving', inFlight: 0 }]);
    expect(events).toEqual(['load m@1']);
    await pool.close();
  });
});
