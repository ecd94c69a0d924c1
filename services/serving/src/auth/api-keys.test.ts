import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiKeyStore, KEY_PREFIX, keyAllowsModel, resolvePepper } from './api-keys';

describe('ApiKeyStore', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'keys-'));

  it('stores only the peppered hash, authenticates the key and nothing else, and revokes', () => {
    const d = dir();
    const store = new ApiKeyStore(join(d, 'keys.json'), 'pepper-1');
    const { key, record } = store.create({ name: 'app', models: ['sotu'], requestsPerMinute: 60, tokensPerMinute: 10_000 });
    expect(key.startsWith(KEY_PREFIX)).toBe(true);
    const onDisk = readFileSync(join(d, 'keys.json'), 'utf8');
    expect(onDisk).not.toContain(key);
    expect(onDisk).not.toContain(key.slice(KEY_PREFIX.length));
    expect(statSync(join(d, 'keys.json')).mode & 0o777).toBe(0o600);
    expect(store.authenticate(key)?.id).toBe(record.id);
    expect(store.authenticate(`${key}x`)).toBeUndefined();
    // Another server with another pepper cannot use the same file.
    expect(new ApiKeyStore(join(d, 'keys.json'), 'pepper-2').authenticate(key)).toBeUndefined();
    expect(keyAllowsModel(record, 'sotu')).toBe(true);
    expect(keyAllowsModel(record, 'other')).toBe(false);
    expect(store.revoke(record.id)).toBe(true);
    expect(store.authenticate(key)).toBeUndefined();
  });

  it('creates the pepper once, private, and reuses it', () => {
    const path = join(dir(), 'serving', 'pepper');
    const first = resolvePepper(undefined, path);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(resolvePepper(undefined, path)).toBe(first);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(resolvePepper('from-env', path)).toBe('from-env');
  });
});
