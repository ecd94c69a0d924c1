/**
 * Child process of the benchmark: trains our BPE on a corpus file and prints one JSON line with
 * wall and CPU seconds and peak RSS (getrusage maxrss, as the Python side reports).
 * Usage: train-ours.ts <corpus.jsonl> <vocabSize> [out.tokenizer.json]
 */
import { formatTrainProgress, saveTokenizer, trainBpeDetailed } from '@crucible/tokenizer';
import { readTrainCorpus } from './train-corpus';

async function main(): Promise<void> {
  const [corpus, vocab, out] = process.argv.slice(2);
  if (corpus === undefined || vocab === undefined) throw new Error('usage: train-ours.ts <corpus.jsonl> <vocabSize> [out]');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await trainBpeDetailed(readTrainCorpus(corpus), {
    vocabSize: Number(vocab),
    minFrequency: 2,
    specialTokens: ['<|endoftext|>'],
    pattern: 'cl100k',
    onProgress: (p) => process.stderr.write(`  ours: ${formatTrainProgress(p)}\n`),
    progressIntervalMs: 5000,
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (out !== undefined) await saveTokenizer(result.tokenizer, out, 'hf-json');
  console.log(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      vocab: result.tokenizer.vocabSize,
      merges: result.merges,
      distinctPreTokens: result.counting.distinct,
    }),
  );
}

void main();
