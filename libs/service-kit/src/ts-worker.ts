/**
 * Source for a worker thread (`new Worker(source, { eval: true })`) that runs one of this
 * repository's TypeScript files: it installs the process's TypeScript loader first — the one
 * already loaded (scripts/register.cjs in development, docker/register.cjs in the image), else
 * the repository's (under test runners with their own loader) — so the thread runs the same sources.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function tsWorkerSource(entry: string): string {
  const loaded = Object.keys(require.cache).find((file) => /[\\/](scripts|docker)[\\/]register\.cjs$/.test(file));
  return `require(${JSON.stringify(loaded ?? findRepositoryRegister(dirname(entry)))}); require(${JSON.stringify(entry)});`;
}

function findRepositoryRegister(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'scripts', 'register.cjs');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`scripts/register.cjs not found above ${from}`);
  }
}
