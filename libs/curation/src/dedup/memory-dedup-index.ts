/** In-memory `DedupIndex` for tests, benchmarks and one-shot runs (lost on restart). */
import type { DedupCheck, DedupEntry, DedupIndex, DedupMatch } from './dedup-index';
import { signatureSimilarity } from './minhash';

interface Stored {
  readonly contentHash: string;
  readonly signature: Uint32Array | null;
}

export class MemoryDedupIndex implements DedupIndex {
  private readonly docs = new Map<string, Stored>();
  private readonly byHash = new Map<string, string>();
  private readonly byBand = new Map<number, string[]>();

  findSync(entry: DedupEntry, check: DedupCheck): DedupMatch | null {
    const exact = this.byHash.get(entry.contentHash);
    if (exact !== undefined && exact !== entry.id) return { kind: 'exact', duplicateOf: exact };
    if (!check.near || entry.signature === null) return null;
    let best: DedupMatch | null = null;
    for (const key of entry.bandKeys) {
      for (const id of this.byBand.get(key) ?? []) {
        if (id === entry.id) continue;
        const sig = this.docs.get(id)?.signature;
        if (!sig) continue;
        const similarity = signatureSimilarity(entry.signature, sig);
        if (similarity >= check.minSimilarity && (best === null || (best.kind === 'near' && similarity > best.similarity)))
          best = { kind: 'near', duplicateOf: id, similarity };
      }
    }
    return best;
  }

  addSync(entry: DedupEntry): void {
    if (this.docs.has(entry.id)) return;
    this.docs.set(entry.id, { contentHash: entry.contentHash, signature: entry.signature });
    if (!this.byHash.has(entry.contentHash)) this.byHash.set(entry.contentHash, entry.id);
    for (const key of entry.bandKeys) {
      const ids = this.byBand.get(key);
      if (ids) ids.push(entry.id);
      else this.byBand.set(key, [entry.id]);
    }
  }

  checkAndAddSync(entry: DedupEntry, check: DedupCheck): DedupMatch | null {
    const match = this.findSync(entry, check);
    if (match === null) this.addSync(entry);
    return match;
  }

  async checkAndAdd(entry: DedupEntry, check: DedupCheck): Promise<DedupMatch | null> {
    return this.checkAndAddSync(entry, check);
  }

  async find(entry: DedupEntry, check: DedupCheck): Promise<DedupMatch | null> {
    return this.findSync(entry, check);
  }

  async has(id: string): Promise<boolean> {
    return this.docs.has(id);
  }

  async size(): Promise<number> {
    return this.docs.size;
  }

  async close(): Promise<void> {}
}
