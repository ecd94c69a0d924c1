/**
 * Byte-level BPE training (Sennrich et al. 2016; GPT-2's byte-level variant), with the
 * incremental pair-count algorithm of Hugging Face's BpeTrainer:
 * - pair counts are kept for the whole corpus of distinct pre-tokens ("words"), weighted by
 *   word frequency, and an index pair → words where it occurs;
 * - a max-heap orders candidate merges by count (ties: the smaller pair of ids); stale heap
 *   entries are re-checked against the live count when popped;
 * - merging a pair only touches the words that contain it and adjusts the counts of the
 *   neighbouring pairs, so a merge costs O(occurrences), not O(corpus).
 * Ids 0–255 are the bytes, merges take the next ids, special tokens come last. A merge whose
 * bytes are already a token reuses that id (as HF does), so `merges` may outnumber new tokens.
 */
import { BpeModel, type Merge } from './bpe-model';
import { PairHeap } from './max-heap';
import { patternFor, type PatternName } from './patterns';
import { PreTokenCounter, type PreTokenCounterStats } from './pretoken-counter';
import { Tokenizer } from './tokenizer';
import { TokenizerConfigError } from './tokenizer.errors';
import { latin1Key } from './utf8';

export interface TrainBpeOptions {
  /** Total vocabulary: 256 byte tokens + merges + special tokens. */
  readonly vocabSize: number;
  /** Stop merging when the best pair occurs fewer times than this. Default 2. */
  readonly minFrequency?: number;
  /** Default ['<|endoftext|>']; the first is the end-of-text token. */
  readonly specialTokens?: readonly string[];
  /** A preset name or a regex source. Default 'cl100k' (GPT-4's split: 1–3 digit numbers, no leading space on letters' punctuation). */
  readonly pattern?: PatternName | string;
  /** Every digit its own pre-token, so numbers are never merged (presets only). Default false. */
  readonly splitDigits?: boolean;
  /** Distinct pre-tokens held while counting before pruning (see pretoken-counter.ts). */
  readonly maxPreTokens?: number;
  readonly name?: string;
  /** Called about every `progressIntervalMs` while counting and merging. */
  readonly onProgress?: (progress: TrainProgress) => void;
  readonly progressIntervalMs?: number;
}

export type TrainProgress =
  | { readonly phase: 'count'; readonly stats: PreTokenCounterStats }
  | { readonly phase: 'merge'; readonly merges: number; readonly vocab: number; readonly target: number; readonly lastCount: number };

export interface TrainResult {
  readonly tokenizer: Tokenizer;
  readonly counting: PreTokenCounterStats;
  readonly merges: number;
}

const PRESETS: readonly string[] = ['gpt2', 'cl100k', 'o200k'];

function resolvePattern(options: TrainBpeOptions): string {
  const pattern = options.pattern ?? 'cl100k';
  if (PRESETS.includes(pattern)) return patternFor(pattern as PatternName, { splitDigits: options.splitDigits === true });
  if (options.splitDigits === true) throw new TokenizerConfigError('splitDigits applies to the preset patterns only; write digits into a custom pattern');
  return pattern;
}

/** Trains on a stream of texts (documents or chunks that end at document boundaries). */
export async function trainBpe(source: AsyncIterable<string> | Iterable<string>, options: TrainBpeOptions): Promise<Tokenizer> {
  return (await trainBpeDetailed(source, options)).tokenizer;
}

export async function trainBpeDetailed(source: AsyncIterable<string> | Iterable<string>, options: TrainBpeOptions): Promise<TrainResult> {
  const pattern = resolvePattern(options);
  const specialTokens = options.specialTokens ?? ['<|endoftext|>'];
  const counter = new PreTokenCounter({ pattern, specialTokens, ...(options.maxPreTokens !== undefined && { maxEntries: options.maxPreTokens }) });
  const interval = options.progressIntervalMs ?? 2000;
  let last = Date.now();
  for await (const text of source) {
    counter.add(text);
    if (options.onProgress !== undefined && Date.now() - last >= interval) {
      last = Date.now();
      options.onProgress({ phase: 'count', stats: counter.stats() });
    }
  }
  const counting = counter.stats();
  options.onProgress?.({ phase: 'count', stats: counting });
  const { tokens, merges } = learnMerges(counter.counts, options.vocabSize - specialTokens.length, options);
  counter.counts.clear();
  const specials = Object.fromEntries(specialTokens.map((t, i) => [t, tokens.length + i]));
  const tokenizer = new Tokenizer({
    name: options.name ?? 'bpe',
    pattern,
    model: BpeModel.fromMerges(tokens, merges),
    specialTokens: specials,
    ...(specialTokens[0] !== undefined && { eotName: specialTokens[0] }),
  });
  return { tokenizer, counting, merges: merges.length };
}

/**
 * Learns merges from pre-token counts until the ordinary vocabulary has `ordinarySize`
 * tokens or no pair reaches `minFrequency`.
 */
export function learnMerges(
  counts: ReadonlyMap<string, number>,
  ordinarySize: number,
  options: Pick<TrainBpeOptions, 'minFrequency' | 'onProgress' | 'progressIntervalMs'> = {},
): { tokens: Uint8Array[]; merges: Merge[] } {
  if (ordinarySize < 256) throw new TokenizerConfigError(`vocabSize leaves ${ordinarySize} ordinary tokens; byte-level BPE needs at least 256`);
  const minFrequency = options.minFrequency ?? 2;
  const tokens: Uint8Array[] = Array.from({ length: 256 }, (_, b) => Uint8Array.of(b));
  const idByKey = new Map<string, number>(tokens.map((t, id) => [latin1Key(t), id]));
  const merges: Merge[] = [];
  // Pair key = left·stride + right; ids stay below ordinarySize.
  const stride = ordinarySize;

  // Words: distinct pre-tokens as id sequences in one arena, with their frequencies.
  const encoder = new TextEncoder();
  let arenaSize = 0;
  const pieces: Uint8Array[] = [];
  const freq: number[] = [];
  for (const [piece, count] of counts) {
    const bytes = encoder.encode(piece);
    if (bytes.length < 2) continue; // single bytes have no pairs
    pieces.push(bytes);
    freq.push(count);
    arenaSize += bytes.length;
  }
  const wordCount = pieces.length;
  const arena = new Int32Array(arenaSize);
  const start = new Int32Array(wordCount);
  const length = new Int32Array(wordCount);
  let at = 0;
  pieces.forEach((bytes, w) => {
    start[w] = at;
    length[w] = bytes.length;
    arena.set(bytes, at);
    at += bytes.length;
  });
  pieces.length = 0;

  const pairCounts = new Map<number, number>();
  const where = new Map<number, number[]>();
  const addWhere = (key: number, w: number): void => {
    const list = where.get(key);
    if (list === undefined) where.set(key, [w]);
    else if (list[list.length - 1] !== w) list.push(w);
  };
  for (let w = 0; w < wordCount; w++) {
    const s = start[w]!;
    const f = freq[w]!;
    for (let i = s; i < s + length[w]! - 1; i++) {
      const key = arena[i]! * stride + arena[i + 1]!;
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + f);
      addWhere(key, w);
    }
  }
  const heap = new PairHeap();
  for (const [key, count] of pairCounts) heap.push(count, key);

  const stamp = new Int32Array(wordCount).fill(-1);
  const increased = new Set<number>();
  const interval = options.progressIntervalMs ?? 2000;
  let lastReport = Date.now();

  while (tokens.length < ordinarySize && heap.size > 0) {
    const count = heap.topCount();
    const key = heap.topKey();
    heap.pop();
    const live = pairCounts.get(key) ?? 0;
    if (live !== count) {
      if (live > 0) heap.push(live, key);
      continue;
    }
    if (count < minFrequency) break;

    const a = Math.floor(key / stride);
    const b = key - a * stride;
    const joined = new Uint8Array(tokens[a]!.length + tokens[b]!.length);
    joined.set(tokens[a]!);
    joined.set(tokens[b]!, tokens[a]!.length);
    const joinedKey = latin1Key(joined);
    let c = idByKey.get(joinedKey);
    if (c === undefined) {
      c = tokens.length;
      tokens.push(joined);
      idByKey.set(joinedKey, c);
    }
    const step = merges.length;
    merges.push([a, b]);

    const bump = (left: number, right: number, delta: number, w: number): void => {
      const k = left * stride + right;
      pairCounts.set(k, (pairCounts.get(k) ?? 0) + delta);
      if (delta > 0) {
        increased.add(k);
        addWhere(k, w);
      }
    };
    for (const w of where.get(key) ?? []) {
      if (stamp[w] === step) continue;
      stamp[w] = step;
      const s = start[w]!;
      const n = length[w]!;
      const f = freq[w]!;
      let out = s;
      let i = s;
      const end = s + n;
      while (i < end) {
        if (arena[i] === a && i + 1 < end && arena[i + 1] === b) {
          if (out > s) {
            const prev = arena[out - 1]!;
            bump(prev, a, -f, w);
            bump(prev, c, f, w);
          }
          if (i + 2 < end) {
            const next = arena[i + 2]!;
            bump(b, next, -f, w);
            bump(c, next, f, w);
          }
          bump(a, b, -f, w);
          arena[out++] = c;
          i += 2;
        } else {
          arena[out++] = arena[i++]!;
        }
      }
      length[w] = out - s;
    }
    where.delete(key);
    pairCounts.delete(key);
    for (const k of increased) {
      const live = pairCounts.get(k)!;
      if (live > 0) heap.push(live, k);
    }
    increased.clear();

    if (options.onProgress !== undefined && (step & 255) === 0 && Date.now() - lastReport >= interval) {
      lastReport = Date.now();
      options.onProgress({ phase: 'merge', merges: merges.length, vocab: tokens.length, target: ordinarySize, lastCount: count });
    }
  }
  options.onProgress?.({ phase: 'merge', merges: merges.length, vocab: tokens.length, target: ordinarySize, lastCount: 0 });
  return { tokens, merges };
}
