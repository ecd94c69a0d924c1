/**
 * `npm run check:tokenizer-reference [-- --train-mb 4 --vocab 4000 --out DIR]`: the reference
 * check as a command; prints the summary and exits 1 on any mismatch.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runReferenceCheck } from './reference-check';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'train-mb': { type: 'string', default: '4' }, vocab: { type: 'string', default: '4000' }, out: { type: 'string' } } });
  const outDir = values.out ?? mkdtempSync(join(tmpdir(), 'tokenizer-reference-'));
  const started = Date.now();
  const result = await runReferenceCheck({ outDir, trainBytes: Number(values['train-mb']) * 1e6, vocabSize: Number(values.vocab) });
  for (const r of result.summary.results) {
    console.log(`${r.file}: ${r.cases} texts, ${r.tokens} tokens, ${r.mismatch_count} mismatches${r.mismatch_count > 0 ? ' ' + JSON.stringify(r.mismatches) : ''}`);
  }
  console.log(`tokenizers ${result.summary.tokenizers_version}; files in ${outDir}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(result.ok ? 'reference check: ids identical to Hugging Face tokenizers' : 'reference check FAILED');
  process.exitCode = result.ok ? 0 : 1;
}

void main();
