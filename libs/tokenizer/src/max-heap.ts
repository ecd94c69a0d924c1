/**
 * A binary max-heap of (count, key) pairs in parallel number arrays: the BPE trainer's queue of
 * candidate merges. Ties go to the smaller key, which for key = left·stride + right is the
 * lexicographically smaller pair — the order Hugging Face's BpeTrainer uses.
 */
export class PairHeap {
  private counts: number[] = [];
  private keys: number[] = [];

  get size(): number {
    return this.counts.length;
  }

  topCount(): number {
    return this.counts[0]!;
  }

  topKey(): number {
    return this.keys[0]!;
  }

  private above(ca: number, ka: number, cb: number, kb: number): boolean {
    return ca > cb || (ca === cb && ka < kb);
  }

  push(count: number, key: number): void {
    const counts = this.counts;
    const keys = this.keys;
    let i = counts.length;
    counts.push(count);
    keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(count, key, counts[parent]!, keys[parent]!)) break;
      counts[i] = counts[parent]!;
      keys[i] = keys[parent]!;
      i = parent;
    }
    counts[i] = count;
    keys[i] = key;
  }

  pop(): void {
    const counts = this.counts;
    const keys = this.keys;
    const lastCount = counts.pop()!;
    const lastKey = keys.pop()!;
    const size = counts.length;
    if (size === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && this.above(counts[child + 1]!, keys[child + 1]!, counts[child]!, keys[child]!)) child++;
      if (!this.above(counts[child]!, keys[child]!, lastCount, lastKey)) break;
      counts[i] = counts[child]!;
      keys[i] = keys[child]!;
      i = child;
    }
    counts[i] = lastCount;
    keys[i] = lastKey;
  }
}
