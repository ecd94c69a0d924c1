/**
 * Locates the Python used as reference/peer (the bench venv) and fails with the setup command when
 * it is missing. Installs nothing: the reference checks get theirs installed on first use through
 * `ensurePython` (`@crucible/tokenizer/testing`, same venv), see e2e/engine-reference/python.ts.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function peerPython(): string {
  const venv = process.env.CRUCIBLE_BENCH_VENV ?? join(homedir(), '.cache/crucible/venv-bench');
  const python = process.env.CRUCIBLE_BENCH_PYTHON ?? join(venv, 'bin/python');
  if (!existsSync(python)) {
    throw new Error(
      `no Python peer at ${python}: python3 -m venv ~/.cache/crucible/venv-bench && ` +
        '~/.cache/crucible/venv-bench/bin/pip install -r e2e/engine-reference/requirements.txt (or set CRUCIBLE_BENCH_PYTHON; ' +
        '`npm run check:engine-reference` installs them itself)',
    );
  }
  return python;
}
