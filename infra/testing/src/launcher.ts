/**
 * Runs an infra/<service>/up launcher and returns the last line of its stdout, which by
 * contract is the connection string (bootstrap address, DSN or kubeconfig path).
 * Progress goes to this process's stderr so a slow first provision is visible.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

// __dirname works under vitest and under scripts/register.cjs (CommonJS) alike.
export const REPO_ROOT = path.resolve(__dirname, '../../..');

export class LauncherError extends Error {
  readonly code = 'infra_launcher_failed' as const;
  readonly retriable = false;
  constructor(
    readonly launcher: string,
    message: string,
  ) {
    super(`${launcher}: ${message}`);
  }
}

export function launcherPath(service: string): string {
  return path.join(REPO_ROOT, 'infra', service, 'up');
}

export function launcherExists(service: string): boolean {
  return existsSync(launcherPath(service));
}

/**
 * @example
 *   const dsn = await runLauncher('postgres', { timeoutMs: 5 * 60_000 });
 */
export function runLauncher(service: string, options: { timeoutMs: number }): Promise<string> {
  const file = launcherPath(service);
  const rel = path.relative(REPO_ROOT, file);
  if (!existsSync(file)) {
    return Promise.reject(new LauncherError(rel, 'launcher not found'));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(file, [], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: options.timeoutMs,
      killSignal: 'SIGTERM',
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', (err) => reject(new LauncherError(rel, err.message)));
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const why = signal ? `killed by ${signal} (timeout ${options.timeoutMs} ms?)` : `exited with ${code}`;
        reject(new LauncherError(rel, `${why}; see its log path above`));
        return;
      }
      const last = stdout.trim().split('\n').pop()?.trim();
      if (!last) {
        reject(new LauncherError(rel, 'printed no connection string on stdout'));
        return;
      }
      resolve(last);
    });
  });
}
