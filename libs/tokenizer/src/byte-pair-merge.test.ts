import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytePairMerge, MergeScratch } from './byte-pair-merge';
import { PairTable } from './pair-table';

/** Unbounded textbook loop: merge the lowest-priority adjacent pair, leftmost on ties. */
function naive(ids: number[], table: PairTable): number[] {
  const parts = [...ids];
  for (;;) {
    let best = -1;
    let bestPriority = Infinity;
    for (let i = 0; i + 1 < parts.length; i++) {
      const slot = table.find(parts[i]!, parts[i + 1]!);
      if (slot >= 0 && table.priorityAt(slot) < bestPriority) {
        bestPriority = table.priorityAt(slot);
        best = i;
      }
    }
    if (best < 0) return parts;
    parts.splice(best, 2, table.resultAt(table.find(parts[best]!, parts[best + 1]!)));
  }
}

const ALPHABET = 6;

/**
 * Tables over a small alphabet whose merge results stay in the alphabet. With `dense`, every
 * pair merges, so each merge pushes two new neighbour pairs and the heap outgrows n — the case
 * (o200k on `abab…`) that once overflowed a heap sized n. Sparse tables leave gaps; both have
 * tied priorities, as tiktoken ranks do when two splits make one token.
 */
const arbitraryTable = fc.record({
  dense: fc.boolean(),
  present: fc.array(fc.boolean(), { minLength: ALPHABET * ALPHABET, maxLength: ALPHABET * ALPHABET }),
  priorities: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: ALPHABET * ALPHABET, maxLength: ALPHABET * ALPHABET }),
  results: fc.array(fc.integer({ min: 0, max: ALPHABET - 1 }), { minLength: ALPHABET * ALPHABET, maxLength: ALPHABET * ALPHABET }),
});

describe('bytePairMerge', () => {
  it('scan (short) and heap (long) paths both equal the textbook loop', () => {
    fc.assert(
      fc.property(arbitraryTable, fc.array(fc.integer({ min: 0, max: ALPHABET - 1 }), { minLength: 1, maxLength: 300 }), (spec, input) => {
        const table = new PairTable(ALPHABET * ALPHABET);
        for (let k = 0; k < ALPHABET * ALPHABET; k++) {
          if (spec.dense || spec.present[k]) table.set(Math.floor(k / ALPHABET), k % ALPHABET, spec.priorities[k]!, spec.results[k]!);
        }
        const ids = Int32Array.from(input);
        const n = bytePairMerge(ids, ids.length, table, new MergeScratch());
        expect([...ids.subarray(0, n)]).toEqual(naive(input, table));
      }),
      { numRuns: 300 },
    );
  });
});
