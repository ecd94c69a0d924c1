/**
 * The engine thread lives as long as the process but never keeps it alive: a command that has
 * finished (`crucible up --exit-when-idle`, a script that served a few requests) exits by itself.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../../..');
const work = mkdtempSync(join(tmpdir(), 'engine-thread-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('EngineThread', () => {
  it('does not hold the process open once it has started and answered', async () => {
    const probe = join(work, 'probe.ts');
    writeFileSync(
      probe,
      `import { EngineThread } from ${JSON.stringify(join(__dirname, 'engine-thread'))};
       // The thread is unref'd: something else (here a timer, in a gateway its server) waits for the answer.
       const waiting = setTimeout(() => undefined, 60_000);
       const thread = EngineThread.shared();
       const key = thread.register('none', (message) => {
         if (message.type !== 'unloaded') return;
         console.log('answered');
         clearTimeout(waiting);
       });
       thread.send({ type: 'unload', key });`,
    );
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'run-ts.cjs'), probe], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += String(chunk)));
    const exited = await Promise.race([
      new Promise<number | null>((done) => child.once('exit', done)),
      new Promise<'still running'>((done) => setTimeout(() => done('still running'), 30_000)),
    ]);
    child.kill('SIGKILL');
    expect(out).toContain('answered');
    expect(exited).toBe(0);
  });
});
