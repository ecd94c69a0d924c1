/**
 * The Python for benchmark peers and reference checks: the shared bench venv
 * (~/.cache/crucible/venv-bench), created and given packages from PyPI on first use. Python is
 * only ever a peer or a reference, never part of the product.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const VENV = process.env.CRUCIBLE_BENCH_VENV ?? join(homedir(), '.cache', 'crucible', 'venv-bench');
export const VENV_PYTHON = join(VENV, 'bin', 'python');

const canImport = (python: string, module: string): boolean =>
  spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;

/** Returns the venv's python with `modules` importable, installing `packages` when needed. */
export function ensurePython(modules: readonly string[], packages: readonly string[]): string {
  if (!existsSync(VENV_PYTHON)) execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
  if (modules.every((m) => canImport(VENV_PYTHON, m))) return VENV_PYTHON;
  execFileSync(VENV_PYTHON, ['-m', 'pip', 'install', '--quiet', ...packages], { stdio: 'inherit' });
  for (const m of modules) if (!canImport(VENV_PYTHON, m)) throw new Error(`python module ${m} is still not importable from ${VENV_PYTHON}`);
  return VENV_PYTHON;
}
