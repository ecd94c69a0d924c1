/**
 * The Python for benchmark peers and reference checks: the shared bench venv
 * (~/.cache/crucible/venv-bench), created and given packages from PyPI on first use. Python is
 * only ever a peer or a reference, never part of the product.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const VENV = process.env.CRUCIBLE_BENCH_VENV ?? join(homedir(), '.cache', 'crucible', 'venv-bench');
export const VENV_PYTHON = join(VENV, 'bin', 'python');

/** `name==version` pins among `packages`, following `-r file` (as pip does) one level deep and more. */
function pins(packages: readonly string[], base = process.cwd()): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < packages.length; i++) {
    const spec = packages[i]!.trim();
    if (spec === '-r' || spec === '--requirement') {
      const file = resolve(base, packages[++i]!);
      const lines = readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
      out.push(...pins(lines.flatMap((l) => l.split(/\s+/)), dirname(file)));
      continue;
    }
    const pin = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;]+)$/.exec(spec);
    if (pin) out.push([pin[1]!, pin[2]!]);
  }
  return out;
}

/**
 * What is missing from `python`: modules not found (without importing them, so the check costs
 * one interpreter start even for torch) and pinned packages at another version. Empty when ready.
 */
function missing(python: string, modules: readonly string[], pinned: readonly [string, string][], importThem = false): string[] {
  const script = [
    'import importlib, importlib.metadata as md, importlib.util, json, sys',
    'mods, pins, imp = json.loads(sys.argv[1])',
    'out = []',
    'for m in mods:',
    '    try:',
    '        ok = importlib.import_module(m) if imp else importlib.util.find_spec(m)',
    '        if not ok: out.append(f"module {m} not found")',
    '    except Exception as e: out.append(f"module {m}: {type(e).__name__}: {e}")',
    'for name, want in pins:',
    '    try: have = md.version(name)',
    '    except md.PackageNotFoundError: have = None',
    '    if have != want: out.append(f"{name}=={want} wanted, {have or \'none\'} installed")',
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync(python, ['-c', script, JSON.stringify([modules, pinned, importThem])], { encoding: 'utf8' });
  if (run.status !== 0) return [`${python} could not run (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr?.trim() ?? ''}`];
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as string[];
}

/**
 * Returns the venv's python with `modules` importable and every `name==version` pin in
 * `packages` installed at that version, running `pip install packages` when needed. `packages`
 * are pip arguments, so `['-r', 'path/requirements.txt']` works (pins are read from the file).
 * Throws with the reason when the venv cannot be created or the install fails (no python3,
 * PyPI unreachable, disk full, …): callers that are tests fail rather than skip on it.
 */
export function ensurePython(modules: readonly string[], packages: readonly string[]): string {
  const pinned = pins(packages);
  if (!existsSync(VENV_PYTHON)) {
    try {
      execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
    } catch (error) {
      throw new Error(`cannot create the bench venv with python3 -m venv ${VENV}: ${(error as Error).message}`);
    }
  }
  const before = missing(VENV_PYTHON, modules, pinned);
  if (before.length === 0) return VENV_PYTHON;
  const started = Date.now();
  console.error(`[python-env] ${before.join('; ')}: pip install ${packages.join(' ')} into ${VENV}`);
  // pip's own messages go to the terminal as they come; the tail of its stderr also goes into the error.
  const pip = spawnSync(VENV_PYTHON, ['-m', 'pip', 'install', '--quiet', ...packages], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
  if (pip.stderr) process.stderr.write(pip.stderr);
  if (pip.status !== 0) {
    const why = pip.error?.message ?? `exit ${pip.status ?? pip.signal}: ${pip.stderr.trim().split('\n').slice(-3).join(' / ')}`;
    throw new Error(`pip install ${packages.join(' ')} into ${VENV} failed (is PyPI reachable?): ${why}`);
  }
  const after = missing(VENV_PYTHON, modules, pinned, true);
  if (after.length > 0) throw new Error(`after pip install ${packages.join(' ')} into ${VENV}: ${after.join('; ')}`);
  console.error(`[python-env] installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return VENV_PYTHON;
}
