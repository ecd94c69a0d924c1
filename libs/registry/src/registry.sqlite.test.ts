// The shared behavioural suite against SQLite (a temp file per test), plus what only SQLite has.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { registryBehaviour } from './testing';

describe('registry on SQLite', () => {
  registryBehaviour({
    freshUrl: async () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'crucible-registry-')), 'registry.db')}`,
    cleanup: async (url) => rmSync(join(url.slice('sqlite:'.length), '..'), { recursive: true, force: true }),
  });
});
