/**
 * Texts with an offset map back to the original, built lazily. The guardrail runs on every
 * prompt and, while streaming, on the growing output every few tokens; almost all of those
 * texts are benign and no finding ever asks where it came from. So a rewrite keeps only its
 * new text and the pieces it replaced, and the per-unit map is composed on first use (a span
 * to report). Building it eagerly was a third of the guardrail's time on plain prose.
 */

/** A text plus, for each UTF-16 unit of it, the [start, end) it came from in the original. */
export interface MappedText {
  readonly text: string;
  readonly from: readonly number[];
  readonly to: readonly number[];
}

interface OffsetMap {
  readonly from: number[];
  readonly to: number[];
}

/** A mapped text whose map is computed on first access, then kept. */
export class LazyMappedText implements MappedText {
  private map: OffsetMap | undefined;

  constructor(
    readonly text: string,
    private readonly compute: () => OffsetMap,
  ) {}

  get from(): readonly number[] {
    return (this.map ??= this.compute()).from;
  }

  get to(): readonly number[] {
    return (this.map ??= this.compute()).to;
  }
}

/** A text that maps unit for unit onto the original (unit i came from [i, i + 1)). */
export function identityMapped(text: string): MappedText {
  return new LazyMappedText(text, () => {
    const from = new Array<number>(text.length);
    const to = new Array<number>(text.length);
    for (let i = 0; i < text.length; i++) {
      from[i] = i;
      to[i] = i + 1;
    }
    return { from, to };
  });
}

/** Maps a [start, end) of `mapped.text` back to the original text. */
export function originalSpan(mapped: MappedText, start: number, end: number): { start: number; end: number } {
  if (end <= start || start >= mapped.from.length) return { start: mapped.from[start] ?? 0, end: mapped.from[start] ?? 0 };
  return { start: mapped.from[start]!, end: mapped.to[Math.min(end, mapped.to.length) - 1]! };
}

export interface Piece {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** For a piece that only drops units: the index in `mapped` each unit of `text` was kept from. */
  readonly kept?: readonly number[];
}

/**
 * Rewrites `mapped` through `pieces` (in order, non-overlapping): each replaces [start, end)
 * of it with `text`. No pieces: `mapped` itself, so a step that changes nothing costs nothing.
 */
export function rewrite(mapped: MappedText, pieces: readonly Piece[]): MappedText {
  if (pieces.length === 0) return mapped;
  let text = '';
  let at = 0;
  for (const p of pieces) {
    if (p.start > at) text += mapped.text.slice(at, p.start);
    at = Math.max(at, p.start);
    // A piece that replaces nothing and drops nothing adds nothing (as the map below).
    if (p.kept || p.end > p.start) text += p.text;
    at = p.end;
  }
  if (mapped.text.length > at) text += mapped.text.slice(at);
  return new LazyMappedText(text, () => rewriteMap(mapped, pieces));
}

/** The map of `rewrite(mapped, pieces)`, unit by unit. */
function rewriteMap(mapped: MappedText, pieces: readonly Piece[]): OffsetMap {
  const mf = mapped.from;
  const mt = mapped.to;
  const from: number[] = [];
  const to: number[] = [];
  let at = 0;
  const copy = (until: number) => {
    for (let k = at; k < until; k++) {
      from.push(mf[k]!);
      to.push(mt[k]!);
    }
    at = Math.max(at, until);
  };
  for (const p of pieces) {
    copy(p.start);
    if (p.kept) {
      for (let k = 0; k < p.text.length; k++) {
        from.push(mf[p.kept[k]!]!);
        to.push(mt[p.kept[k]!]!);
      }
    } else if (p.end > p.start) {
      // Each output unit keeps the original range of the input unit at the same offset (or the last).
      for (let k = 0; k < p.text.length; k++) {
        const j = Math.min(p.start + k, p.end - 1);
        from.push(mf[j]!);
        to.push(k === p.text.length - 1 ? mt[p.end - 1]! : mt[j]!);
      }
    }
    at = p.end;
  }
  copy(mapped.text.length);
  return { from, to };
}
