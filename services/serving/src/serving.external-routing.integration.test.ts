/**
 * External rollout mode (the operator decides): traffic for a bare model name follows the
 * routing file, re-read when it changes; a version dropped from the file drains and unloads.
 * Inline routes (SERVING_ROUTES: the same JSON, fixed) route the same way from the start.
 * Real HTTP, real tiny artifacts on ONNX Runtime, real SQLite registry.
 * Run: npx vitest run --project integration services/serving/src/serving.external-routing.integration.test.ts
 */
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from './testing/gateway-harness';

/** Which version served each of `requests` completions for the bare model name. */
async function servedBy(gateway: Gateway, requests: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < requests; i++) {
    const r = await fetch(`${gateway.url}/v1/completions`, { method: 'POST', body: JSON.stringify({ model: 'tiny', prompt: `q${i}`, max_tokens: 1 }) });
    expect(r.status).toBe(200);
    const version = r.headers.get('x-crucible-model-version')!;
    counts[version] = (counts[version] ?? 0) + 1;
  }
  return counts;
}

describe('external rollout mode (routing file)', () => {
  const routingFile = join(mkdtempSync(join(tmpdir(), 'routing-')), 'routes.json');
  let gateway: Gateway;
  let bump = 0;
  const route = (routes: { version: string; weight: number }[]) => {
    writeFileSync(routingFile, JSON.stringify({ tiny: routes }));
    const at = new Date(Date.now() + ++bump * 2_000); // a new mtime even within the same second
    utimesSync(routingFile, at, at);
  };

  beforeAll(async () => {
    route([{ version: 'tiny@1', weight: 100 }]);
    gateway = await startGateway({ versions: 2, settings: { rollout: { mode: 'external', routingFile } } });
  }, 180_000);
  afterAll(() => gateway?.close());

  it('splits by the file, follows its changes and drains versions it drops', { timeout: 180_000 }, async () => {
    expect(await servedBy(gateway, 4)).toEqual({ 'tiny@1': 4 });

    route([{ version: 'tiny@1', weight: 50 }, { version: 'tiny@2', weight: 50 }]);
    await expect.poll(() => gateway.modelEvents.includes('load tiny@2'), { timeout: 30_000 }).toBe(true);
    const split = await servedBy(gateway, 40);
    expect(split['tiny@1']).toBeGreaterThan(0);
    expect(split['tiny@2']).toBeGreaterThan(0);

    route([{ version: 'tiny@2', weight: 100 }]);
    await expect.poll(() => gateway.modelEvents.includes('close tiny@1'), { timeout: 30_000 }).toBe(true);
    expect(await servedBy(gateway, 4)).toEqual({ 'tiny@2': 4 });
    // An explicit version still loads on demand.
    const pinned = await fetch(`${gateway.url}/v1/completions`, { method: 'POST', body: JSON.stringify({ model: 'tiny@1', prompt: 'x', max_tokens: 1 }) });
    expect(pinned.headers.get('x-crucible-model-version')).toBe('tiny@1');
  });
});

describe('external rollout mode (inline routes, SERVING_ROUTES)', () => {
  let gateway: Gateway;
  afterAll(() => gateway?.close());

  it('pins traffic to the routed version (loaded at start, not the champion) and splits by weight like the file', { timeout: 180_000 }, async () => {
    gateway = await startGateway({ versions: 3, settings: { rollout: { mode: 'external', routes: { tiny: [{ version: 'tiny@2', weight: 100 }] } } } });
    expect(gateway.modelEvents).toEqual(['load tiny@2']); // loaded before traffic; tiny@1 is champion but unrouted
    expect(await servedBy(gateway, 4)).toEqual({ 'tiny@2': 4 });
    await gateway.close();

    gateway = await startGateway({ versions: 3, settings: { rollout: { mode: 'external', routes: { tiny: [{ version: 'tiny@2', weight: 50 }, { version: 'tiny@3', weight: 50 }] } } } });
    expect([...gateway.modelEvents].sort()).toEqual(['load tiny@2', 'load tiny@3']);
    const split = await servedBy(gateway, 40);
    expect(Object.keys(split).sort()).toEqual(['tiny@2', 'tiny@3']);
  });
});
