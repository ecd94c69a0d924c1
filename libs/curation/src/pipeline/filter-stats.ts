/**
 * Per-filter counters: how many documents each filter saw, kept and removed, and the
 * removal reasons. Transforming steps (html, normalize, pii) also count `modified`.
 */

export interface FilterCounters {
  seen: number;
  kept: number;
  removed: number;
  modified: number;
  reasons: Record<string, number>;
}

export type FilterName = 'html' | 'normalize' | 'language' | 'gopher_quality' | 'gopher_repetition' | 'pii' | 'exact_dedup' | 'near_dedup';

export const FILTER_ORDER: readonly FilterName[] = [
  'html',
  'normalize',
  'language',
  'gopher_quality',
  'gopher_repetition',
  'pii',
  'exact_dedup',
  'near_dedup',
];

export class FilterStats {
  private readonly counters = new Map<FilterName, FilterCounters>();

  private get(filter: FilterName): FilterCounters {
    let c = this.counters.get(filter);
    if (!c) {
      c = { seen: 0, kept: 0, removed: 0, modified: 0, reasons: {} };
      this.counters.set(filter, c);
    }
    return c;
  }

  kept(filter: FilterName, modified = false): void {
    const c = this.get(filter);
    c.seen++;
    c.kept++;
    if (modified) c.modified++;
  }

  removed(filter: FilterName, reason: string): void {
    const c = this.get(filter);
    c.seen++;
    c.removed++;
    c.reasons[reason] = (c.reasons[reason] ?? 0) + 1;
  }

  /** A copy of the counters, in pipeline order, for filters that saw at least one document. */
  snapshot(): Partial<Record<FilterName, FilterCounters>> {
    const out: Partial<Record<FilterName, FilterCounters>> = {};
    for (const f of FILTER_ORDER) {
      const c = this.counters.get(f);
      if (c) out[f] = { ...c, reasons: { ...c.reasons } };
    }
    return out;
  }
}
