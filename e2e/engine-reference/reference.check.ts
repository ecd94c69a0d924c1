/**
 * `npm run check:engine-reference`, first half: the engine against PyTorch/transformers on a
 * tiny GPT-2 (logic in reference.ts; also run by reference.integration.test.ts in `npm test`).
 * Installs the pinned requirements.txt into the bench venv (~/.cache/crucible/venv-bench) on
 * first use. Prints PyTorch's report, one PASS/FAIL line per check, and exits 1 on any failure.
 */
import { runEngineReference } from './reference';

async function main(): Promise<void> {
  const result = await runEngineReference();
  console.log(JSON.stringify(result.report, null, 2));
  for (const { name, ok } of result.checks) console.log(`${ok ? 'PASS' : 'FAIL'} ${name}`);
  const failed = result.checks.filter((c) => !c.ok).length;
  console.log(`${result.checks.length - failed} passed, ${failed} failed`);
  if (failed) process.exit(1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
