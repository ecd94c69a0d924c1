/**
 * Streaming pre-token counts for BPE training, in bounded memory.
 *
 * Text is split by the pre-tokenisation regex (special-token strings are cut out first, so
 * they never become merges) and each pre-token's frequency is counted in a Map. When the map
 * holds more than `maxEntries` distinct pre-tokens it is pruned: every entry whose count is at
 * most a floor f is dropped, with f the smallest count that brings the table to half its
 * budget. This is lossy counting (Manku & Motwani 2002): a pre-token's count is undercounted by
 * at most the sum of the floors of all prunes (`maxUndercount`), and a pre-token that was
 * dropped entirely occurred at most that many times. Frequent pre-tokens — the ones whose
 * pairs BPE merges — are counted exactly as long as they stay above the floor.
 */
import { compilePattern } from './patterns';
import { specialTokenRegex } from './special-tokens';

export interface PreTokenCounterOptions {
  readonly pattern: string;
  /** Special-token strings to cut out of the text before pre-tokenisation. */
  readonly specialTokens?: readonly string[];
  /** Budget of distinct pre-tokens held at once; ≈ 100 bytes each. Default 4,000,000. */
  readonly maxEntries?: number;
}

export interface PreTokenCounterStats {
  readonly bytes: number;
  readonly preTokens: number;
  readonly distinct: number;
  readonly prunes: number;
  /** Upper bound on how much any single count is underestimated by pruning. */
  readonly maxUndercount: number;
}

export class PreTokenCounter {
  readonly counts = new Map<string, number>();
  private readonly regex: RegExp;
  private readonly specials: RegExp | undefined;
  private readonly maxEntries: number;
  private bytes = 0;
  private preTokens = 0;
  private prunes = 0;
  private maxUndercount = 0;

  constructor(options: PreTokenCounterOptions) {
    this.regex = compilePattern(options.pattern);
    this.specials = specialTokenRegex(options.specialTokens ?? []);
    this.maxEntries = options.maxEntries ?? 4_000_000;
  }

  add(text: string): void {
    this.bytes += Buffer.byteLength(text);
    if (this.specials === undefined) {
      this.addOrdinary(text);
      return;
    }
    for (const part of text.split(this.specials)) this.addOrdinary(part);
  }

  stats(): PreTokenCounterStats {
    return {
      bytes: this.bytes,
      preTokens: this.preTokens,
      distinct: this.counts.size,
      prunes: this.prunes,
      maxUndercount: this.maxUndercount,
    };
  }

  private addOrdinary(text: string): void {
    const re = this.regex;
    const counts = this.counts;
    re.lastIndex = 0;
    let n = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const piece = m[0];
      if (piece.length === 0) {
        re.lastIndex++;
        continue;
      }
      counts.set(piece, (counts.get(piece) ?? 0) + 1);
      n++;
    }
    this.preTokens += n;
    if (counts.size > this.maxEntries) this.prune();
  }

  private prune(): void {
    const histogram = new Map<number, number>();
    for (const c of this.counts.values()) histogram.set(c, (histogram.get(c) ?? 0) + 1);
    const target = this.counts.size - Math.floor(this.maxEntries / 2);
    let floor = 0;
    let removed = 0;
    for (const c of [...histogram.keys()].sort((a, b) => a - b)) {
      floor = c;
      removed += histogram.get(c)!;
      if (removed >= target) break;
    }
    for (const [piece, c] of this.counts) if (c <= floor) this.counts.delete(piece);
    this.prunes++;
    this.maxUndercount += floor;
  }
}
