/**
 * Open-addressing hash table from a token pair (left id, right id) to the merge it triggers:
 * its priority (lower merges first) and the id of the merged token. Typed arrays and integer
 * hashing keep the merge loop free of string allocation (js-tiktoken joins bytes into string
 * keys on every probe; tiktoken hashes byte slices).
 */
const EMPTY = -1;

export class PairTable {
  private readonly mask: number;
  private readonly lefts: Int32Array;
  private readonly rights: Int32Array;
  private readonly priorities: Int32Array;
  private readonly results: Int32Array;
  private count = 0;

  constructor(expectedEntries: number) {
    let capacity = 16;
    // Load factor ≤ 0.5 keeps linear probes short.
    while (capacity < expectedEntries * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.lefts = new Int32Array(capacity).fill(EMPTY);
    this.rights = new Int32Array(capacity);
    this.priorities = new Int32Array(capacity);
    this.results = new Int32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  private slot(left: number, right: number): number {
    return (Math.imul(left ^ Math.imul(right, 0x85ebca77), 0x9e3779b1) >>> 7) & this.mask;
  }

  /** Adds a merge; when the pair is already present the lower priority wins. */
  set(left: number, right: number, priority: number, result: number): void {
    let i = this.slot(left, right);
    for (;;) {
      const l = this.lefts[i]!;
      if (l === EMPTY) {
        if ((this.count + 1) * 2 > this.lefts.length) throw new Error('PairTable over capacity');
        this.lefts[i] = left;
        this.rights[i] = right;
        this.priorities[i] = priority;
        this.results[i] = result;
        this.count++;
        return;
      }
      if (l === left && this.rights[i] === right) {
        if (priority < this.priorities[i]!) {
          this.priorities[i] = priority;
          this.results[i] = result;
        }
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** The slot holding the pair, or -1. Read priority/result through the accessors below. */
  find(left: number, right: number): number {
    let i = this.slot(left, right);
    for (;;) {
      const l = this.lefts[i]!;
      if (l === EMPTY) return -1;
      if (l === left && this.rights[i] === right) return i;
      i = (i + 1) & this.mask;
    }
  }

  priorityAt(slot: number): number {
    return this.priorities[slot]!;
  }

  resultAt(slot: number): number {
    return this.results[slot]!;
  }

  /** Every entry, in slot order (callers sort by priority when order matters). */
  *entries(): IterableIterator<{ left: number; right: number; priority: number; result: number }> {
    for (let i = 0; i < this.lefts.length; i++) {
      const left = this.lefts[i]!;
      if (left !== EMPTY) {
        yield { left, right: this.rights[i]!, priority: this.priorities[i]!, result: this.results[i]! };
      }
    }
  }
}
