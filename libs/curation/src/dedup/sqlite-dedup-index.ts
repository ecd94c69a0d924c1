/**
 * SQLite-backed `DedupIndex` (better-sqlite3): survives restarts, so streaming curation
 * keeps deduplicating against everything kept before. WAL journal; `checkAndAdd` runs in
 * one IMMEDIATE transaction. The MinHash parameters are stored with the index and checked on
 * open, because signatures made with other parameters cannot be compared.
 *
 * Schema v1: docs(id, content_hash, signature BLOB), bands(key INTEGER, doc_id), meta(k, v).
 */
import Database from 'better-sqlite3';
import { DedupIndexError } from '../errors';
import type { DedupCheck, DedupEntry, DedupIndex, DedupMatch } from './dedup-index';
import { signatureSimilarity, type MinHashOptions } from './minhash';

const SCHEMA_VERSION = '1';

export interface SqliteDedupIndexOptions {
  /** File path, or `:memory:`. */
  readonly path: string;
  readonly minhash: MinHashOptions;
}

export class SqliteDedupIndex implements DedupIndex {
  private readonly db: Database.Database;
  private readonly stmts: {
    byHash: Database.Statement<[string], { id: string }>;
    byBand: Database.Statement<unknown[], { doc_id: string }>;
    signature: Database.Statement<[string], { signature: Buffer | null }>;
    hasDoc: Database.Statement<[string], { one: number }>;
    insertDoc: Database.Statement<[string, string, Buffer | null]>;
    insertBand: Database.Statement<[number, string]>;
    count: Database.Statement<[], { n: number }>;
  };
  private readonly checkAndAddTx: (entry: DedupEntry, check: DedupCheck) => DedupMatch | null;
  private readonly bands: number;

  constructor(options: SqliteDedupIndexOptions) {
    try {
      this.db = new Database(options.path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, signature BLOB);
        CREATE INDEX IF NOT EXISTS docs_content_hash ON docs (content_hash);
        CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, doc_id TEXT NOT NULL, PRIMARY KEY (key, doc_id)) WITHOUT ROWID;
      `);
    } catch (cause) {
      throw new DedupIndexError('dedup_index_io', `cannot open dedup index at ${options.path}`, true, cause);
    }
    try {
      this.checkMeta(options.minhash);
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.bands = options.minhash.bands;
    const placeholders = Array.from({ length: this.bands }, () => '?').join(',');
    this.stmts = {
      byHash: this.db.prepare('SELECT id FROM docs WHERE content_hash = ? LIMIT 2'),
      byBand: this.db.prepare(`SELECT DISTINCT doc_id FROM bands WHERE key IN (${placeholders})`),
      signature: this.db.prepare('SELECT signature FROM docs WHERE id = ?'),
      hasDoc: this.db.prepare('SELECT 1 AS one FROM docs WHERE id = ?'),
      insertDoc: this.db.prepare('INSERT OR IGNORE INTO docs (id, content_hash, signature) VALUES (?, ?, ?)'),
      insertBand: this.db.prepare('INSERT OR IGNORE INTO bands (key, doc_id) VALUES (?, ?)'),
      count: this.db.prepare('SELECT COUNT(*) AS n FROM docs'),
    };
    const tx = this.db.transaction((entry: DedupEntry, check: DedupCheck): DedupMatch | null => {
      const match = this.findSync(entry, check);
      if (match === null) this.addSync(entry);
      return match;
    });
    this.checkAndAddTx = (entry, check) => tx.immediate(entry, check);
  }

  private checkMeta(minhash: MinHashOptions): void {
    const wanted: Record<string, string> = {
      schema: SCHEMA_VERSION,
      minhash: `${minhash.ngram}ng_${minhash.bands}b_${minhash.rows}r_seed${minhash.seed}_fmix32`,
    };
    const get = this.db.prepare<[string], { v: string }>('SELECT v FROM meta WHERE k = ?');
    const put = this.db.prepare('INSERT INTO meta (k, v) VALUES (?, ?)');
    for (const [k, v] of Object.entries(wanted)) {
      const have = get.get(k)?.v;
      if (have === undefined) put.run(k, v);
      else if (have !== v)
        throw new DedupIndexError('dedup_index_format', `dedup index ${k} is ${have}, this build needs ${v}`, false);
    }
  }

  private findSync(entry: DedupEntry, check: DedupCheck): DedupMatch | null {
    for (const row of this.stmts.byHash.all(entry.contentHash))
      if (row.id !== entry.id) return { kind: 'exact', duplicateOf: row.id };
    if (!check.near || entry.signature === null || entry.bandKeys.length !== this.bands) return null;
    let best: DedupMatch | null = null;
    for (const { doc_id } of this.stmts.byBand.all(...entry.bandKeys)) {
      if (doc_id === entry.id) continue;
      const blob = this.stmts.signature.get(doc_id)?.signature;
      if (!blob) continue;
      const sig = new Uint32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
      const similarity = signatureSimilarity(entry.signature, sig);
      if (similarity >= check.minSimilarity && (best === null || (best.kind === 'near' && similarity > best.similarity)))
        best = { kind: 'near', duplicateOf: doc_id, similarity };
    }
    return best;
  }

  private addSync(entry: DedupEntry): void {
    const sig = entry.signature ? Buffer.from(entry.signature.buffer, entry.signature.byteOffset, entry.signature.byteLength) : null;
    const inserted = this.stmts.insertDoc.run(entry.id, entry.contentHash, sig).changes;
    if (inserted === 0) return;
    for (const key of entry.bandKeys) this.stmts.insertBand.run(key, entry.id);
  }

  private guard<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (cause) {
      if (cause instanceof DedupIndexError) throw cause;
      throw new DedupIndexError('dedup_index_io', `dedup index ${what} failed`, true, cause);
    }
  }

  async checkAndAdd(entry: DedupEntry, check: DedupCheck): Promise<DedupMatch | null> {
    return this.guard('checkAndAdd', () => this.checkAndAddTx(entry, check));
  }

  async find(entry: DedupEntry, check: DedupCheck): Promise<DedupMatch | null> {
    return this.guard('find', () => this.findSync(entry, check));
  }

  async has(id: string): Promise<boolean> {
    return this.guard('has', () => this.stmts.hasDoc.get(id) !== undefined);
  }

  async size(): Promise<number> {
    return this.guard('size', () => this.stmts.count.get()!.n);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
