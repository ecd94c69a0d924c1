/**
 * `npm run check:engine-reference`, second half: trains the `tiny` preset on the pydoc topics
 * corpus and checks the validation loss ends clearly below the unigram baseline, a resumed
 * checkpoint continues the exact loss sequence, and the FP16 export's size and perplexity
 * change (logic in tiny-corpus.ts; also run by reference.integration.test.ts). Env TINY_STEPS
 * (default 300).
 */
import { DEFAULT_TINY_STEPS, runTinyCorpus } from './tiny-corpus';

async function main(): Promise<void> {
  const result = await runTinyCorpus({ steps: Number(process.env.TINY_STEPS ?? DEFAULT_TINY_STEPS), log: (line) => console.log(line) });
  for (const { name, ok } of result.checks) console.log(`${ok ? 'PASS' : 'FAIL'} ${name}`);
  const failed = result.checks.filter((c) => !c.ok).length;
  console.log(`${result.checks.length - failed} passed, ${failed} failed`);
  if (failed) process.exit(1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
