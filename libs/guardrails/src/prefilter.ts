/**
 * A cheap first pass over many patterns: the patterns that share flags are joined into one
 * alternation and tested once; only when it matches do its members run one by one. Benign
 * text matches none of a detector's rules, so one scan per group replaces a scan (and a
 * `matchAll` iterator) per rule. Exact: an alternation matches somewhere iff one of its
 * alternatives does. Patterns that cannot be joined without changing meaning — numbered or
 * named backreferences, named groups — stay on their own and always run.
 */

interface Group {
  readonly test: RegExp;
  readonly members: readonly number[];
}

// `\1`…`\9` and `\k<name>` refer to groups by number or name, which joining would renumber;
// `(?<name>` may not repeat across alternatives. Lookbehinds `(?<=`/`(?<!` are fine.
const UNJOINABLE = /\\[1-9]|\\k<|\(\?<(?![=!])/;

export class Prefilter {
  private readonly groups: Group[] = [];
  private readonly alone: number[] = [];

  constructor(patterns: readonly RegExp[]) {
    const byFlags = new Map<string, number[]>();
    patterns.forEach((p, i) => {
      if (UNJOINABLE.test(p.source)) return void this.alone.push(i);
      const flags = p.flags.replace(/[gy]/g, '');
      byFlags.set(flags, [...(byFlags.get(flags) ?? []), i]);
    });
    for (const [flags, members] of byFlags) {
      this.groups.push({ test: new RegExp(members.map((i) => `(?:${patterns[i]!.source})`).join('|'), flags), members });
    }
  }

  /** Indices of the patterns that may match `text` (every one that does, in order; maybe more). */
  candidates(text: string): number[] {
    const out = [...this.alone];
    for (const g of this.groups) if (g.test.test(text)) out.push(...g.members);
    return out.length > 1 ? out.sort((a, b) => a - b) : out;
  }
}
