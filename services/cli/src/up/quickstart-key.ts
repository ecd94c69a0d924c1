/**
 * The quick start's API key. The gateway keeps only hashes, so the clear key is created once
 * and kept beside the project data (mode 0600) for `crucible up` to print again on every
 * start — a local convenience; deployments create keys through /v1/admin/keys instead.
 */
import { ApiKeyStore, resolvePepper } from '@crucible/serving';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function quickstartKey(dataDir: string, settings: { keysFile?: string; keyPepper?: string }): string {
  const keysFile = settings.keysFile ?? join(dataDir, 'serving', 'keys.json');
  const store = new ApiKeyStore(keysFile, resolvePepper(settings.keyPepper, join(dataDir, 'serving', 'pepper')));
  const clearPath = join(dataDir, 'serving', 'quickstart.key');
  if (existsSync(clearPath)) {
    const saved = readFileSync(clearPath, 'utf8').trim();
    if (store.authenticate(saved)) return saved;
  }
  const { key } = store.create({ name: 'quickstart', models: ['*'], requestsPerMinute: 600, tokensPerMinute: 1_000_000 });
  mkdirSync(dirname(clearPath), { recursive: true });
  writeFileSync(clearPath, `${key}\n`, { mode: 0o600 });
  return key;
}
