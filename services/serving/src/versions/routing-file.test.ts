import { createLogger } from '@crucible/service-kit';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RoutingFile } from './routing-file';

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
