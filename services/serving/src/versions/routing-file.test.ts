import { createLogger } from '@crucible/service-kit';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InlineRoutes, RoutingFile, parseRouting } from './routing-file';
import { pickRoute } from './traffic-routes';

describe('RoutingFile', () => {
  it('reads weights, re-reads on change and keeps the last good routes when the file turns invalid', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'routing-')), 'routes.json');
    writeFileSync(path, JSON.stringify({ sotu: [{ version: 'sotu@1', weight: 90 }, { version: 'sotu@2', weight: 10 }] }));
    const seen: string[][] = [];
    const file = new RoutingFile(path, createLogger('test', 'silent'), (v) => seen.push(v), 60_000);
    expect(file.routesFor('sotu')).toEqual([{ version: 'sotu@1', weight: 90 }, { version: 'sotu@2', weight: 10 }]);
    expect(file.routesFor('other')).toBeUndefined();

    writeFileSync(path, JSON.stringify({ sotu: [{ version: 'sotu@2', weight: 100 }] }));
    utimesSync(path, new Date(), new Date(Date.now() + 5_000));
    expect(file.refresh()).toBe(true);
    expect(file.routedVersions()).toEqual(['sotu@2']);

    writeFileSync(path, '{"sotu": [{"version": "sotu", "weight": 100}]}');
    utimesSync(path, new Date(), new Date(Date.now() + 10_000));
    expect(file.refresh()).toBe(false);
    expect(file.routedVersions()).toEqual(['sotu@2']);
    expect(seen).toEqual([['sotu@1', 'sotu@2'], ['sotu@2']]);
    file.close();
  });
});

describe('InlineRoutes (SERVING_ROUTES)', () => {
  it('routes like the file with the same content: weights per model, routed versions, zero weights ignored', () => {
    const content = { sotu: [{ version: 'sotu@1', weight: 90 }, { version: 'sotu@2', weight: 10 }], other: [{ version: 'other@4', weight: 0 }] };
    const path = join(mkdtempSync(join(tmpdir(), 'routing-')), 'routes.json');
    writeFileSync(path, JSON.stringify(content));
    const file = new RoutingFile(path, createLogger('test', 'silent'), () => undefined, 60_000);
    const inline = new InlineRoutes(parseRouting(JSON.stringify(content)));
    for (const model of ['sotu', 'other', 'absent']) expect(inline.routesFor(model)).toEqual(file.routesFor(model));
    expect(inline.routesFor('sotu')).toEqual([{ version: 'sotu@1', weight: 90 }, { version: 'sotu@2', weight: 10 }]);
    expect(inline.routesFor('other')).toBeUndefined();
    expect(inline.routedVersions()).toEqual(file.routedVersions());
    expect(inline.routedVersions()).toEqual(['sotu@1', 'sotu@2']);
    file.close();
  });

  it('a pinned version takes all of its model’s traffic', () => {
    const pinned = new InlineRoutes(parseRouting('{"sotu": [{"version": "sotu@3", "weight": 100}]}'));
    for (const r of [0, 0.5, 0.9999]) expect(pickRoute(pinned.routesFor('sotu')!, r)).toBe('sotu@3');
    expect(pinned.routedVersions()).toEqual(['sotu@3']);
  });
});

describe('parseRouting', () => {
  it('names what is wrong', () => {
    expect(() => parseRouting('nope')).toThrow(/^not JSON/);
    expect(() => parseRouting('{"sotu": [{"version": "sotu", "weight": 100}]}')).toThrow(/sotu\.0\.version: expected <model>@<n>/);
    expect(() => parseRouting('{"sotu": [{"version": "sotu@1", "weight": -1}]}')).toThrow(/sotu\.0\.weight/);
  });
});
