import type { Registry } from '@crucible/registry';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrafficRoutes } from './traffic-routes';
import { VersionRouter } from './version-router';

/** A registry whose alias answers are set by the test and whose lookups can be held open. */
function fakeRegistry() {
  const state = { champion: 'm@1', lookups: 0, fail: false, hold: undefined as Promise<void> | undefined };
  const registry = {
    models: {
      resolve: async (ref: string) => {
        state.lookups++;
        const answer = state.champion;
        if (state.hold) await state.hold;
        if (state.fail) throw new Error('registry down');
        return ref === 'm:champion' ? { id: answer } : undefined;
      },
    },
  } as unknown as Registry;
  return { registry, state };
}

const noRoutes: TrafficRoutes = { routesFor: () => undefined } as unknown as TrafficRoutes;
const settle = () => new Promise((r) => setImmediate(r));

describe('VersionRouter alias cache', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());

  it('answers from the cache for a second without asking the registry', async () => {
    const { registry, state } = fakeRegistry();
    const router = new VersionRouter(registry, noRoutes);
    expect((await router.resolve('m')).versionId).toBe('m@1');
    state.champion = 'm@2';
    vi.advanceTimersByTime(999);
    expect((await router.resolve('m')).versionId).toBe('m@1');
    expect(state.lookups).toBe(1);
  });

  it('serves a stale answer while one background lookup refreshes it, then the new answer', async () => {
    const { registry, state } = fakeRegistry();
    const router = new VersionRouter(registry, noRoutes);
    await router.resolve('m');
    state.champion = 'm@2';
    vi.advanceTimersByTime(1_500);
    let release!: () => void;
    state.hold = new Promise((r) => (release = r));
    // Two requests during the refresh: both get the old version at once, one lookup runs.
    expect((await router.resolve('m')).versionId).toBe('m@1');
    expect((await router.resolve('m')).versionId).toBe('m@1');
    expect(state.lookups).toBe(2);
    release();
    state.hold = undefined;
    await settle();
    expect((await router.resolve('m')).versionId).toBe('m@2');
    expect(state.lookups).toBe(2);
  });

  it('waits for the registry once the entry is older than the stale limit, and surfaces its error', async () => {
    const { registry, state } = fakeRegistry();
    const router = new VersionRouter(registry, noRoutes);
    await router.resolve('m');
    state.fail = true;
    vi.advanceTimersByTime(2_000);
    expect((await router.resolve('m')).versionId).toBe('m@1'); // stale, the refresh fails in the background
    await settle();
    vi.advanceTimersByTime(60_000);
    await expect(router.resolve('m')).rejects.toThrow('registry down');
  });

  it('does not cache what a lookup read before an invalidation', async () => {
    const { registry, state } = fakeRegistry();
    const router = new VersionRouter(registry, noRoutes);
    let release!: () => void;
    state.hold = new Promise((r) => (release = r));
    const first = router.resolve('m'); // reads m@1, held open
    router.invalidate('m'); // this gateway moved the alias meanwhile
    state.champion = 'm@2';
    state.hold = undefined;
    release();
    expect((await first).versionId).toBe('m@1');
    expect((await router.resolve('m')).versionId).toBe('m@2');
  });
});
