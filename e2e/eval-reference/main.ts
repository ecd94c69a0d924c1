/**
 * `npm run check:eval-reference`: our BLEU, chrF, ROUGE and exact match against sacrebleu and
 * rouge-score on the same vectors; prints the largest difference and exits 1 on any mismatch.
 */
import { runReferenceCheck } from './reference-check';

const started = Date.now();
const result = runReferenceCheck();
for (const f of result.failures) console.log(`MISMATCH ${f.name}: ours ${JSON.stringify(f.ours)} reference ${JSON.stringify(f.theirs)}`);
console.log(`${result.compared} values compared against sacrebleu ${result.sacrebleuVersion}, rouge-score and NLTK (Porter stems of ${result.stemmedWords} words); max abs difference ${result.maxAbsDiff.toExponential(3)}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(result.ok ? 'reference check: agreement within 1e-6' : `reference check FAILED: ${result.failures.length} mismatches`);
process.exitCode = result.ok ? 0 : 1;
