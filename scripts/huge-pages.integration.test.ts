/**
 * scripts/huge-pages.cjs with real processes: the relaunched command gets the tunable, its
 * arguments and its exit code through, and its large buffers land on huge pages; the launcher
 * hands SIGTERM on, and a launcher killed outright takes its child down instead of orphaning it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const LAUNCHER = join(__dirname, 'huge-pages.cjs');
const { hugePageTunables } = createRequire(import.meta.url)(LAUNCHER) as { hugePageTunables: (m: object) => string | undefined };
const thp = existsSync('/sys/kernel/mm/transparent_hugepage/enabled') ? readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8') : undefined;
const env = { ...process.env, GLIBC_TUNABLES: undefined, CRUCIBLE_HUGE_PAGES: undefined };
// This machine relaunches (Linux, glibc ≥ 2.35, THP madvise): CI's does; elsewhere there is nothing to test.
const relaunches = hugePageTunables({ env, platform: process.platform, glibc: (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime, thp }) !== undefined;

const work = mkdtempSync(join(tmpdir(), 'huge-pages-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A script for the launcher to run: `body`, then a 64 MiB buffer touched and what it saw printed.
 * `body` comes first so that its signal handlers are in place before the test, which acts on
 * that line, can send a signal (after the line they might not be yet: CI once lost that race).
 */
function probe(name: string, body: string): string {
  const file = join(work, `${name}.cjs`);
  writeFileSync(
    file,
    `${body}
     const buffer = new Float32Array(16 * 1024 * 1024); buffer.fill(1);
     const huge = Number(/AnonHugePages:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/smaps_rollup', 'utf8'))[1]);
     console.log(JSON.stringify({ tunables: process.env.GLIBC_TUNABLES, huge, args: process.argv.slice(2), pid: process.pid }));`,
  );
  return file;
}

function launch(script: string, args: string[] = []): { child: ChildProcess; first: Promise<{ tunables?: string; huge: number; args: string[]; pid: number }>; exit: Promise<[number | null, string | null]> } {
  const child = spawn(process.execPath, [LAUNCHER, script, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const first = new Promise<{ tunables?: string; huge: number; args: string[]; pid: number }>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += String(chunk);
      const line = out.split('\n')[0]!;
      if (out.includes('\n')) resolve(JSON.parse(line) as never);
    });
    child.once('exit', () => reject(new Error(`exited before printing: ${out}`)));
  });
  const exit = new Promise<[number | null, string | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
  return { child, first, exit };
}

/** Running, and not a zombie waiting for a parent that is gone. */
function alive(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe.runIf(relaunches)('scripts/huge-pages.cjs', () => {
  it('runs the script with the tunable and its arguments, its large buffers on huge pages, and exits as it did', async () => {
    const { first, exit } = launch(probe('plain', 'process.exitCode = 3;'), ['a', 'b c']);
    const seen = await first;
    expect(seen.tunables).toBe('glibc.malloc.hugetlb=1');
    expect(seen.args).toEqual(['a', 'b c']);
    expect(seen.huge).toBeGreaterThanOrEqual(2048); // kB: at least one 2 MiB page
    expect(await exit).toEqual([3, null]);
  });

  it('hands SIGTERM on to the script, which shuts down as it chooses', async () => {
    const { child, first, exit } = launch(probe('term', "process.on('SIGTERM', () => { console.log('stopping'); process.exit(0); }); setInterval(() => undefined, 1000);"));
    const seen = await first;
    expect(seen.pid).not.toBe(child.pid); // a relaunched child, not the launcher itself
    child.kill('SIGTERM');
    expect(await exit).toEqual([0, null]);
  });

  it('takes the script down with SIGTERM when the launcher is killed outright', async () => {
    const marker = join(work, 'orphan-stopped');
    const { child, first, exit } = launch(probe('orphan', `process.on('SIGTERM', () => { require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); process.exit(0); }); setInterval(() => undefined, 1000);`));
    const { pid } = await first;
    child.kill('SIGKILL');
    await exit;
    const deadline = Date.now() + 10_000;
    while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(marker)).toBe(true);
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false); // gone, not orphaned
  });
});
