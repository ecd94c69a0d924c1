// The real `crucible` binary against a SQLite registry filled through the registry's API.
import { openRegistry } from '@crucible/registry';
import { seedRegistry } from '@crucible/registry/testing';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = resolve(__dirname, '../../../../scripts/crucible.cjs');

function crucible(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const { CRUCIBLE_REGISTRY_URL: _ignored, ...inherited } = process.env;
    execFile(process.execPath, [CLI, ...args], { env: { ...inherited, ...env }, timeout: 90_000 }, (error, stdout, stderr) =>
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('crucible runs / models / report (real command)', () => {
  let dir: string;
  let project: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crucible-cli-registry-'));
    mkdirSync(join(dir, 'data'));
    project = join(dir, 'crucible.yaml');
    writeFileSync(project, 'name: demo\ndataDir: data\n');
    // The project's default registry: sqlite:<dataDir>/registry.db.
    const registry = await openRegistry(`sqlite:${join(dir, 'data', 'registry.db')}`);
    await seedRegistry(registry);
    await registry.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the report of the champion and writes the HTML file, finding the registry through the project', async () => {
    const html = join(dir, 'report.html');
    const result = await crucible(['report', 'sotu', '--project', project, '--html', html]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^sotu@2 {2}\(champion\)\n/);
    expect(result.stdout).toContain('Evaluation: PASSED');
    expect(result.stdout).toContain(`HTML report written to ${html}`);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<title>sotu@2 — Crucible model report</title>');
    expect(page).toMatch(/<path d="M[^"]+"[^>]*><title>training loss<\/title>/);
  }, 120_000);

  it('lists runs as JSON and models as a table from CRUCIBLE_REGISTRY_URL', async () => {
    const env = { CRUCIBLE_REGISTRY_URL: `sqlite:${join(dir, 'data', 'registry.db')}` };
    const [runs, models] = await Promise.all([crucible(['runs', '--json', '--status', 'failed'], env), crucible(['models'], env)]);
    expect(runs.code).toBe(0);
    expect(JSON.parse(runs.stdout)).toEqual([expect.objectContaining({ runId: 'run-4', status: 'failed', error: 'loss diverged at step 5 (NaN)' })]);
    expect(models.code).toBe(0);
    expect(models.stdout.split('\n')[1]?.split(/\s{2,}/)).toEqual(['sotu', '3', 'sotu@2', 'sotu@3', 'sotu@3', 'passed', 'FAILED', '-']);
  }, 120_000);

  it('fails with a precise message for a reference that resolves to nothing', async () => {
    const result = await crucible(['report', 'sotu:shadow', '--registry', `sqlite:${join(dir, 'data', 'registry.db')}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`crucible: no model version matches 'sotu:shadow' in sqlite:${join(dir, 'data', 'registry.db')}\n`);
  }, 120_000);
});
