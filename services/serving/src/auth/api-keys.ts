/**
 * API keys at rest: a JSON file (default `<dataDir>/serving/keys.json`, mode 0600) that holds,
 * per key, only HMAC-SHA256(pepper, key) — never the key — with the models it may use and its
 * per-minute limits. The pepper is a server secret kept apart from the file
 * (`SERVING_KEY_PEPPER`, else `<dataDir>/serving/pepper`, created once), so a leaked keys
 * file alone does not let anyone test guesses. Keys look like `sk-crucible-<43 chars>`.
 * The file is re-read when it changes, so a key created by `create-key.ts` works at once.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export const KEY_PREFIX = 'sk-crucible-';
const KEYS_FORMAT = 'crucible.api-keys';

const ApiKeySchema = z
  .object({
    id: z.string().min(1),
    name: z.string().default(''),
    /** `hmac-sha256:<hex>` of the whole key. */
    hash: z.string().regex(/^hmac-sha256:[0-9a-f]{64}$/),
    /** Model names this key may use (every version and alias of each); `*` = all. */
    models: z.array(z.string().min(1)).min(1),
    requestsPerMinute: z.number().int().positive(),
    tokensPerMinute: z.number().int().positive(),
    createdAt: z.string(),
  })
  .strict();
export type ApiKey = z.output<typeof ApiKeySchema>;

const KeysFileSchema = z.object({ format: z.literal(KEYS_FORMAT), version: z.literal(1), keys: z.array(ApiKeySchema) }).strict();

export const hashKey = (pepper: string, key: string): string => `hmac-sha256:${createHmac('sha256', pepper).update(key).digest('hex')}`;

/** The pepper from the environment, or the one stored next to the keys (created on first use). */
export function resolvePepper(configured: string | undefined, pepperPath: string): string {
  if (configured) return configured;
  if (!existsSync(pepperPath)) {
    mkdirSync(dirname(pepperPath), { recursive: true });
    writeFileSync(pepperPath, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(pepperPath, 'utf8').trim();
}

export const keyAllowsModel = (key: ApiKey, model: string): boolean => key.models.includes('*') || key.models.includes(model);

export class ApiKeyStore {
  private byHash = new Map<string, ApiKey>();
  private mtimeMs = -1;
  private checkedAt = 0;

  constructor(
    private readonly path: string,
    private readonly pepper: string,
  ) {
    this.reload();
  }

  /** The key record for a presented key, or undefined. */
  authenticate(presented: string): ApiKey | undefined {
    this.reloadIfChanged();
    const hash = hashKey(this.pepper, presented);
    // A key created a moment ago (inside the 1 s stat window) must work at once.
    if (!this.byHash.has(hash)) this.reloadIfChanged(true);
    return this.byHash.get(hash);
  }

  list(): ApiKey[] {
    this.reloadIfChanged();
    return [...this.byHash.values()];
  }

  /** Adds a key and returns it in clear text (the only time it exists outside the client). */
  create(input: { name?: string; models: readonly string[]; requestsPerMinute: number; tokensPerMinute: number }): { key: string; record: ApiKey } {
    const id = `key_${randomBytes(6).toString('hex')}`;
    const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const record = ApiKeySchema.parse({
      id,
      name: input.name ?? '',
      hash: hashKey(this.pepper, key),
      models: [...input.models],
      requestsPerMinute: input.requestsPerMinute,
      tokensPerMinute: input.tokensPerMinute,
      createdAt: new Date().toISOString(),
    });
    this.write([...this.readFile(), record]);
    return { key, record };
  }

  /** Removes a key by id; returns whether it existed. */
  revoke(id: string): boolean {
    const keys = this.readFile();
    const kept = keys.filter((k) => k.id !== id);
    if (kept.length === keys.length) return false;
    this.write(kept);
    return true;
  }

  private readFile(): ApiKey[] {
    if (!existsSync(this.path)) return [];
    return KeysFileSchema.parse(JSON.parse(readFileSync(this.path, 'utf8'))).keys;
  }

  private write(keys: readonly ApiKey[]): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ format: KEYS_FORMAT, version: 1, keys }, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.path);
    this.reload();
  }

  /** At most one stat per second: authentication sits on every request's path. */
  private reloadIfChanged(force = false): void {
    const now = Date.now();
    if (!force && now - this.checkedAt < 1_000) return;
    this.checkedAt = now;
    const mtimeMs = existsSync(this.path) ? statSync(this.path).mtimeMs : -1;
    if (mtimeMs !== this.mtimeMs) this.reload();
  }

  private reload(): void {
    this.mtimeMs = existsSync(this.path) ? statSync(this.path).mtimeMs : -1;
    this.byHash = new Map(this.readFile().map((k) => [k.hash, k]));
    this.checkedAt = Date.now();
  }
}
