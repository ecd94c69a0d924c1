import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { learnMerges, trainBpe, trainBpeDetailed } from './bpe-trainer';
import { PreTokenCounter } from './pretoken-counter';
import { CL100K_PATTERN, GPT2_PATTERN } from './patterns';
import { TokenizerConfigError } from './tokenizer.errors';

/**
 * The textbook algorithm: recount every pair each step, merge the most frequent (ties: the
 * smaller pair), apply left to right. Slow and obviously right — the incremental trainer must
 * produce the same merges and the same final segmentation.
 */
function naiveMerges(counts: Map<string, number>, ordinarySize: number, minFrequency: number) {
  const words = [...counts].map(([piece, count]) => ({ ids: [...new TextEncoder().encode(piece)], count, piece }));
  const tokens: string[] = Array.from({ length: 256 }, (_, b) => String.fromCharCode(b));
  const merges: [number, number][] = [];
  while (tokens.length < ordinarySize) {
    const pairs = new Map<string, number>();
    for (const w of words) for (let i = 0; i + 1 < w.ids.length; i++) {
      const k = `${w.ids[i]},${w.ids[i + 1]}`;
      pairs.set(k, (pairs.get(k) ?? 0) + w.count);
    }
    let best: [number, number] | undefined;
    let bestCount = 0;
    for (const [k, c] of pairs) {
      const [a, b] = k.split(',').map(Number) as [number, number];
      if (c > bestCount || (c === bestCount && best !== undefined && (a < best[0] || (a === best[0] && b < best[1])))) {
        best = [a, b];
        bestCount = c;
      }
    }
    if (best === undefined || bestCount < minFrequency) break;
    const joined = tokens[best[0]]! + tokens[best[1]]!;
    let id = tokens.indexOf(joined);
    if (id < 0) id = tokens.push(joined) - 1;
    merges.push(best);
    for (const w of words) {
      const out: number[] = [];
      for (let i = 0; i < w.ids.length; i++) {
        if (w.ids[i] === best[0] && w.ids[i + 1] === best[1]) {
          out.push(id);
          i++;
        } else out.push(w.ids[i]!);
      }
      w.ids = out;
    }
  }
  return { merges, words };
}

const countsOf = (texts: string[], pattern = CL100K_PATTERN) => {
  const counter = new PreTokenCounter({ pattern });
  texts.forEach((t) => counter.add(t));
  return counter.counts;
};

describe('learnMerges', () => {
  it('matches the naive algorithm on random corpora', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', 'é', ' '), minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 30 }), fc.integer({ min: 260, max: 300 }), (texts, size) => {
        const counts = countsOf(texts);
        const fast = learnMerges(counts, size, { minFrequency: 1 });
        const slow = naiveMerges(counts, size, 1);
        expect(fast.merges).toEqual(slow.merges);
      }),
      { numRuns: 150 },
    );
  });

  it('gives a tokenizer that segments its training words as training did', async () => {
    const texts = ['low lower lowest newer wider new newest', 'aaaa abab abababab the theme thesis', 'hello hello world!!'];
    const counts = countsOf(texts);
    const tokenizer = await trainBpe(texts, { vocabSize: 256 + 40 + 1, minFrequency: 1 });
    const slow = naiveMerges(counts, 256 + 40, 1);
    for (const w of slow.words) expect(tokenizer.encodeOrdinary(w.piece)).toEqual(w.ids);
  });

  it('rejects vocabularies smaller than the byte alphabet', () => {
    expect(() => learnMerges(new Map(), 100)).toThrow(TokenizerConfigError);
  });
});

describe('trainBpe', () => {
  const corpus = [
    'The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs.',
    'Numbers: 1234567 and 2024-01-01, 3.14159 and 42.',
    'Ünïcödé wörds and 日本語 text and emoji 🎉🎉 <|endoftext|> after the special token',
  ];

  it('puts special tokens last, never merges across or into them, and round-trips', async () => {
    const { tokenizer, merges } = await trainBpeDetailed(
      (async function* () {
        for (let i = 0; i < 20; i++) yield* corpus;
      })(),
      { vocabSize: 400, specialTokens: ['<|endoftext|>', '<|pad|>'] },
    );
    expect(tokenizer.vocabSize).toBe(tokenizer.model.size + 2);
    expect(tokenizer.eotToken).toBe(tokenizer.model.size);
    expect(tokenizer.specialTokens.get('<|pad|>')).toBe(tokenizer.model.size + 1);
    expect(merges).toBeGreaterThan(0);
    for (const id of tokenizer.model.tokens.keys()) expect(new TextDecoder().decode(tokenizer.tokenBytes(id))).not.toContain('<|');
    const text = corpus.join('\n');
    expect(tokenizer.decode(tokenizer.encode(text, { allowedSpecial: 'all' }))).toBe(text);
    expect(tokenizer.encode('<|endoftext|>', { allowedSpecial: 'all' })).toEqual([tokenizer.eotToken]);
  });

  it('splitDigits keeps every digit a separate token', async () => {
    const tokenizer = await trainBpe(Array(30).fill('1234 5678 2024 99 1000000 3.14 abc123'), { vocabSize: 320, splitDigits: true, pattern: 'gpt2' });
    for (const bytes of tokenizer.model.tokens) expect(new TextDecoder().decode(bytes).match(/\d/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  it('stops at minFrequency', async () => {
    const { tokenizer } = await trainBpeDetailed(['abc abd xyz'], { vocabSize: 1000, minFrequency: 2, pattern: GPT2_PATTERN });
    // Only (a, b) occurs twice.
    expect(tokenizer.model.size).toBe(257);
  });

  it('reports progress for both phases', async () => {
    const phases = new Set<string>();
    await trainBpe(corpus, { vocabSize: 300, minFrequency: 1, onProgress: (p) => phases.add(p.phase), progressIntervalMs: 0 });
    expect([...phases].sort()).toEqual(['count', 'merge']);
  });
});

describe('PreTokenCounter pruning', () => {
  it('bounds distinct entries and undercounts by at most maxUndercount', () => {
    const texts = Array.from({ length: 2000 }, (_, i) => `common words here rare${i} x${i % 50}`);
    const exact = countsOf(texts);
    const counter = new PreTokenCounter({ pattern: CL100K_PATTERN, maxEntries: 200 });
    texts.forEach((t) => counter.add(t));
    const stats = counter.stats();
    expect(stats.prunes).toBeGreaterThan(0);
    expect(counter.counts.size).toBeLessThanOrEqual(200 + 10);
    for (const [piece, n] of exact) expect(n - (counter.counts.get(piece) ?? 0)).toBeLessThanOrEqual(stats.maxUndercount);
    expect(counter.counts.get(' words')).toBe(2000);
  });
});
