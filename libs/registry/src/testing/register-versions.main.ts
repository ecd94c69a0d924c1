/**
 * Registers `count` versions of `model` for runs `<prefix>-0…`, each twice: a separate
 * process for the cross-process SQLite test. Usage: register-versions.main.ts <url> <model> <prefix> <count>
 */
import { openRegistry } from '../open-registry';
import { versionInput } from './fixtures';

async function main(): Promise<void> {
  const [url = '', model = '', prefix = '', count = '0'] = process.argv.slice(2);
  const registry = await openRegistry(url);
  const ids: string[] = [];
  for (let i = 0; i < Number(count); i += 1) {
    const input = versionInput(model, `${prefix}-${i}`);
    const [a, b] = await Promise.all([registry.models.registerVersion(input), registry.models.registerVersion(input)]);
    if (a.id !== b.id) throw new Error(`run ${input.runId} got two versions: ${a.id} and ${b.id}`);
    ids.push(a.id);
  }
  await registry.close();
  process.stdout.write(JSON.stringify(ids));
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
