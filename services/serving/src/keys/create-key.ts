/**
 * Creates an API key in the gateway's keys file and prints it (the only time it is shown).
 * Reads the same settings as the gateway (CRUCIBLE_DATA_DIR, SERVING_KEYS_FILE,
 * SERVING_KEY_PEPPER) so the key works at once — the gateway re-reads the file.
 *
 *   node scripts/run-ts.cjs services/serving/src/keys/create-key.ts --models sotu [--name app] [--rpm 600] [--tpm 1000000]
 *   node scripts/run-ts.cjs services/serving/src/keys/create-key.ts --list
 *   node scripts/run-ts.cjs services/serving/src/keys/create-key.ts --revoke key_0123abcd
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiKeyStore, resolvePepper } from '../auth/api-keys';
import { loadServingServiceConfig } from '../config';

function main(): void {
  const { values } = parseArgs({
    options: {
      models: { type: 'string' },
      name: { type: 'string' },
      rpm: { type: 'string' },
      tpm: { type: 'string' },
      list: { type: 'boolean' },
      revoke: { type: 'string' },
    },
  });
  const config = loadServingServiceConfig();
  const keysFile = config.SERVING_KEYS_FILE ?? join(config.CRUCIBLE_DATA_DIR, 'serving', 'keys.json');
  const store = new ApiKeyStore(keysFile, resolvePepper(config.SERVING_KEY_PEPPER, join(config.CRUCIBLE_DATA_DIR, 'serving', 'pepper')));
  if (values.list) {
    for (const k of store.list()) console.log(`${k.id}\t${k.name || '-'}\t${k.models.join(',')}\t${k.requestsPerMinute} rpm\t${k.tokensPerMinute} tpm\t${k.createdAt}`);
    return;
  }
  if (values.revoke) {
    if (!store.revoke(values.revoke)) throw new Error(`no key ${values.revoke} in ${keysFile}`);
    console.log(`revoked ${values.revoke}`);
    return;
  }
  const models = (values.models ?? '').split(',').map((m) => m.trim()).filter(Boolean);
  if (models.length === 0) throw new Error('--models <name>[,<name>…] is required (use * for every model)');
  const positive = (raw: string | undefined, fallback: number, flag: string) => {
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer`);
    return n;
  };
  const { key, record } = store.create({
    models,
    ...(values.name && { name: values.name }),
    requestsPerMinute: positive(values.rpm, config.SERVING_DEFAULT_RPM, '--rpm'),
    tokensPerMinute: positive(values.tpm, config.SERVING_DEFAULT_TPM, '--tpm'),
  });
  console.error(`created ${record.id} for ${models.join(', ')} in ${keysFile} (${record.requestsPerMinute} rpm, ${record.tokensPerMinute} tpm); store the key now, it is not kept:`);
  console.log(key);
}

try {
  main();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
