// The shared behavioural suite against SQLite (a temp file per test), plus what only SQLite has.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from './open-registry';
import { registryBehaviour } from './testing/registry-behaviour';

const REPO_ROOT = resolve(__dirname, '../../..');
const RUN_TS = join(REPO_ROOT, 'scripts/run-ts.cjs');
const SCRIPT = join(__dirname, 'testing/register-versions.main.ts');

describe('registry on SQLite', () => {
  registryBehaviour({
    freshUrl: async () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'crucible-registry-')), 'registry.db')}`,
    cleanup: async (url) => rmSync(join(url.slice('sqlite:'.length), '..'), { recursive: true, force: true }),
  });
});

describe('registry on SQLite across processes', () => {
  const runScript = (args: string[]): Promise<string[]> =>
    new Promise((resolve, reject) => {
      execFile(process.execPath, [RUN_TS, SCRIPT, ...args], { cwd: REPO_ROOT }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as string[]),
      );
    });

  it('numbers versions registered by three processes on one file 1..n, once per run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crucible-registry-procs-'));
    const url = `sqlite:${join(dir, 'registry.db')}`;
    try {
      const results = await Promise.all(['a', 'b', 'c'].map((prefix) => runScript([url, 'sotu', prefix, '8'])));
      const ids = results.flat();
      expect(new Set(ids).size).toBe(24);
      const registry = await openRegistry(url);
      const versions = await registry.models.listVersions('sotu');
      await registry.close();
      expect(versions.map((v) => v.n)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
      expect(versions.map((v) => v.id).sort()).toEqual([...ids].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
