/**
 * The BPE merge loop over one pre-token: start from one token per byte, repeatedly merge the
 * adjacent pair with the lowest priority (leftmost on ties), stop when no adjacent pair merges.
 * This is tiktoken's `byte_pair_merge` and Hugging Face's `Word::merge_all` — they differ only in
 * which pairs merge and with what priority, which the PairTable encodes (see bpe-model.ts).
 *
 * Short pieces use tiktoken's array scan (O(n²) but tiny constants); long ones (whitespace runs,
 * minified code, base64) use a heap over a linked list, O(n log n).
 */
import type { PairTable } from './pair-table';

const NONE = 0x7fffffff;
const SCAN_LIMIT = 64;

/**
 * Merges `ids[0..n)` in place and returns the new length. `ids` holds one token per byte on
 * entry and the final tokens on exit.
 */
export function bytePairMerge(ids: Int32Array, n: number, table: PairTable, scratch: MergeScratch): number {
  if (n < 2) return n;
  return n <= SCAN_LIMIT ? mergeByScan(ids, n, table, scratch.priorities) : mergeByHeap(ids, n, table, scratch);
}

export class MergeScratch {
  priorities = new Int32Array(SCAN_LIMIT);
  slots = new Int32Array(0);
  next = new Int32Array(0);
  prev = new Int32Array(0);
  heapPriority = new Int32Array(0);
  heapPosition = new Int32Array(0);

  ensure(n: number): void {
    if (this.next.length >= n) return;
    const size = Math.max(n, this.next.length * 2);
    this.slots = new Int32Array(size);
    this.next = new Int32Array(size);
    this.prev = new Int32Array(size);
    this.heapPriority = new Int32Array(size);
    this.heapPosition = new Int32Array(size);
  }

  /** Doubles the heap arrays: a merge pushes up to two entries, so the heap can outgrow n. */
  growHeap(): void {
    const priority = new Int32Array(this.heapPriority.length * 2);
    const position = new Int32Array(this.heapPosition.length * 2);
    priority.set(this.heapPriority);
    position.set(this.heapPosition);
    this.heapPriority = priority;
    this.heapPosition = position;
  }
}

function mergeByScan(ids: Int32Array, n: number, table: PairTable, priorities: Int32Array): number {
  for (let i = 0; i < n - 1; i++) {
    const slot = table.find(ids[i]!, ids[i + 1]!);
    priorities[i] = slot < 0 ? NONE : table.priorityAt(slot);
  }
  while (n > 1) {
    let best = NONE;
    let at = -1;
    for (let i = 0; i < n - 1; i++) {
      const p = priorities[i]!;
      if (p < best) {
        best = p;
        at = i;
      }
    }
    if (at < 0) break;
    ids[at] = table.resultAt(table.find(ids[at]!, ids[at + 1]!));
    // Close the gap left by ids[at + 1] and its pair priority.
    for (let i = at + 1; i < n - 1; i++) {
      ids[i] = ids[i + 1]!;
      priorities[i] = priorities[i + 1]!;
    }
    n--;
    if (at > 0) {
      const slot = table.find(ids[at - 1]!, ids[at]!);
      priorities[at - 1] = slot < 0 ? NONE : table.priorityAt(slot);
    }
    if (at < n - 1) {
      const slot = table.find(ids[at]!, ids[at + 1]!);
      priorities[at] = slot < 0 ? NONE : table.priorityAt(slot);
    }
  }
  return n;
}

/**
 * Heap entries are (priority, left position); positions are original byte indices, so
 * comparing them orders ties leftmost-first exactly as the scan does. Stale entries (a side
 * merged away since) are skipped on pop by re-checking the pair.
 */
function mergeByHeap(ids: Int32Array, n: number, table: PairTable, s: MergeScratch): number {
  s.ensure(n);
  const { next, prev } = s;
  let { heapPriority: hp, heapPosition: hpos } = s;
  const alive = s.slots; // 1 while position i starts a live token
  let size = 0;

  const push = (priority: number, position: number): void => {
    // Typed arrays drop out-of-range writes silently: grow before the heap outgrows them.
    if (size === hp.length) {
      s.growHeap();
      hp = s.heapPriority;
      hpos = s.heapPosition;
    }
    let i = size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pp = hp[parent]!;
      if (pp < priority || (pp === priority && hpos[parent]! < position)) break;
      hp[i] = pp;
      hpos[i] = hpos[parent]!;
      i = parent;
    }
    hp[i] = priority;
    hpos[i] = position;
  };
  const pop = (): void => {
    const lastP = hp[--size]!;
    const lastPos = hpos[size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && (hp[right]! < hp[child]! || (hp[right] === hp[child] && hpos[right]! < hpos[child]!))) {
        child = right;
      }
      if (hp[child]! > lastP || (hp[child] === lastP && hpos[child]! > lastPos)) break;
      hp[i] = hp[child]!;
      hpos[i] = hpos[child]!;
      i = child;
    }
    hp[i] = lastP;
    hpos[i] = lastPos;
  };

  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
    alive[i] = 1;
  }
  for (let i = 0; i < n - 1; i++) {
    const slot = table.find(ids[i]!, ids[i + 1]!);
    if (slot >= 0) push(table.priorityAt(slot), i);
  }
  while (size > 0) {
    const priority = hp[0]!;
    const left = hpos[0]!;
    pop();
    if (alive[left] !== 1) continue;
    const right = next[left]!;
    if (right >= n) continue;
    const slot = table.find(ids[left]!, ids[right]!);
    if (slot < 0 || table.priorityAt(slot) !== priority) continue;
    ids[left] = table.resultAt(slot);
    alive[right] = 0;
    const after = next[right]!;
    next[left] = after;
    if (after < n) prev[after] = left;
    const before = prev[left]!;
    if (before >= 0) {
      const s1 = table.find(ids[before]!, ids[left]!);
      if (s1 >= 0) push(table.priorityAt(s1), before);
    }
    if (after < n) {
      const s2 = table.find(ids[left]!, ids[after]!);
      if (s2 >= 0) push(table.priorityAt(s2), left);
    }
  }
  let count = 0;
  for (let i = 0; i < n; i = next[i]!) ids[count++] = ids[i]!;
  return count;
}
