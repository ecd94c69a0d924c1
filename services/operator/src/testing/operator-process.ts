/** Runs the real operator entry point (main.ts) as a child process, for kill/restart tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../../../..');

export interface OperatorProcess {
  child: ChildProcess;
  output: () => string;
  /** SIGKILL: no lease release, no graceful anything. */
  kill: () => Promise<void>;
}

export function startOperatorProcess(env: Record<string, string>): OperatorProcess {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts/run-ts.cjs'), path.join(REPO_ROOT, 'services/operator/src/main.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, OPERATOR_BUS_ENABLED: 'false', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return {
    child,
    output: () => out,
    kill: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
