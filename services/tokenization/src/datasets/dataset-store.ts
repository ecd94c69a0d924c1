/**
 * The staging store of the tokenization stage (better-sqlite3, WAL): every accepted document
 * per dataset, and every sealed version. A document is keyed by (dataset, documentId) and
 * inserted with INSERT OR IGNORE, so a redelivered document is a no-op and never adds tokens.
 * A version is keyed by its seal key (the request's event id), so a redelivered seal request
 * finds the version it already made instead of making another.
 *
 * Versions are cumulative: version n holds every document the dataset accepted up to its seal.
 * `sealed_in` records the version that first included a document; NULL means "open" (waiting
 * for the next seal).
 *
 * `announced` is the outbox flag of seals made outside a handler (HTTP): 0 until their
 * `datasets.sealed` is published, so a crash in between is repaired at the next start.
 *
 * Schema v1: documents(seq, dataset, document_id, text, chars, sealed_in), versions(dataset,
 * version, seal_key, dataset_id, manifest_path, sealed JSON, created_at, announced), meta(k, v).
 */
import type { DatasetSealed } from '@crucible/contracts';
import Database from 'better-sqlite3';
import { DatasetError } from './dataset.errors';

const SCHEMA_VERSION = '1';
const PAGE_SIZE = 512;

export interface StagedDocument {
  readonly seq: number;
  readonly documentId: string;
  readonly text: string;
}

export interface VersionRecord {
  readonly dataset: string;
  readonly version: number;
  readonly sealKey: string;
  readonly datasetId: string;
  readonly manifestPath: string;
  readonly sealed: DatasetSealed;
  readonly createdAt: string;
}

export interface DatasetSummary {
  readonly name: string;
  /** Documents accepted since the last seal. */
  readonly openDocuments: number;
  readonly openChars: number;
  readonly totalDocuments: number;
  readonly versions: readonly { readonly version: number; readonly datasetId: string; readonly documents: number; readonly tokens: number; readonly createdAt: string }[];
}

interface VersionRow {
  dataset: string;
  version: number;
  seal_key: string;
  dataset_id: string;
  manifest_path: string;
  sealed: string;
  created_at: string;
}

const toRecord = (row: VersionRow): VersionRecord => ({
  dataset: row.dataset,
  version: row.version,
  sealKey: row.seal_key,
  datasetId: row.dataset_id,
  manifestPath: row.manifest_path,
  sealed: JSON.parse(row.sealed) as DatasetSealed,
  createdAt: row.created_at,
});

export class DatasetStore {
  private readonly db: Database.Database;
  /** The statements every cleaned document runs, compiled once. */
  private readonly hot: { insert: Database.Statement<[string, string, string, number]>; open: Database.Statement<[string]>; bySealKey: Database.Statement<[string]> };

  constructor(readonly path: string) {
    try {
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS documents (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          dataset TEXT NOT NULL,
          document_id TEXT NOT NULL,
          text TEXT NOT NULL,
          chars INTEGER NOT NULL,
          sealed_in INTEGER,
          UNIQUE (dataset, document_id)
        );
        CREATE INDEX IF NOT EXISTS documents_by_dataset ON documents (dataset, sealed_in);
        CREATE TABLE IF NOT EXISTS versions (
          dataset TEXT NOT NULL,
          version INTEGER NOT NULL,
          seal_key TEXT NOT NULL UNIQUE,
          dataset_id TEXT NOT NULL,
          manifest_path TEXT NOT NULL,
          sealed TEXT NOT NULL,
          created_at TEXT NOT NULL,
          announced INTEGER NOT NULL,
          PRIMARY KEY (dataset, version)
        );
      `);
      this.db.prepare(`INSERT OR IGNORE INTO meta (k, v) VALUES ('schema_version', ?)`).run(SCHEMA_VERSION);
    } catch (cause) {
      throw new DatasetError('dataset_store_io', `cannot open the dataset store at ${path}`, true, { cause });
    }
    const version = (this.db.prepare(`SELECT v FROM meta WHERE k = 'schema_version'`).get() as { v: string }).v;
    if (version !== SCHEMA_VERSION) {
      throw new DatasetError('dataset_store_io', `dataset store ${path} has schema ${version}; this build reads ${SCHEMA_VERSION}`, false);
    }
    this.hot = {
      insert: this.db.prepare(`INSERT OR IGNORE INTO documents (dataset, document_id, text, chars) VALUES (?, ?, ?, ?)`),
      open: this.db.prepare(`SELECT COUNT(*) AS documents, COALESCE(SUM(chars), 0) AS chars FROM documents WHERE dataset = ? AND sealed_in IS NULL`),
      bySealKey: this.db.prepare(`SELECT * FROM versions WHERE seal_key = ?`),
    };
  }

  /** Adds a document to the dataset's open version; `false` when the dataset already holds it. */
  append(dataset: string, documentId: string, text: string): boolean {
    return this.hot.insert.run(dataset, documentId, text, text.length).changes === 1;
  }

  openStats(dataset: string): { documents: number; chars: number } {
    return this.hot.open.get(dataset) as { documents: number; chars: number };
  }

  /** The last document sequence number of the dataset (0 when it has none): a seal's snapshot point. */
  lastSeq(dataset: string): number {
    return (this.db.prepare(`SELECT COALESCE(MAX(seq), 0) AS seq FROM documents WHERE dataset = ?`).get(dataset) as { seq: number }).seq;
  }

  countUpTo(dataset: string, maxSeq: number): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM documents WHERE dataset = ? AND seq <= ?`).get(dataset, maxSeq) as { n: number }).n;
  }

  /**
   * The dataset's documents up to `maxSeq`, in arrival order, read a page at a time so no
   * cursor stays open across the caller's work (and memory stays bounded).
   */
  *documents(dataset: string, maxSeq: number): Generator<StagedDocument> {
    const page = this.db.prepare(
      `SELECT seq, document_id AS documentId, text FROM documents WHERE dataset = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ${PAGE_SIZE}`,
    );
    let after = 0;
    for (;;) {
      const rows = page.all(dataset, after, maxSeq) as StagedDocument[];
      yield* rows;
      if (rows.length < PAGE_SIZE) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  nextVersion(dataset: string): number {
    return (this.db.prepare(`SELECT COALESCE(MAX(version), 0) + 1 AS n FROM versions WHERE dataset = ?`).get(dataset) as { n: number }).n;
  }

  bySealKey(sealKey: string): VersionRecord | undefined {
    const row = this.hot.bySealKey.get(sealKey) as VersionRow | undefined;
    return row && toRecord(row);
  }

  version(dataset: string, version: number): VersionRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM versions WHERE dataset = ? AND version = ?`).get(dataset, version) as VersionRow | undefined;
    return row && toRecord(row);
  }

  /**
   * Records a sealed version and closes the documents it took, in one transaction.
   * `announced: false` puts it in the outbox until `markAnnounced`.
   */
  commitSeal(record: VersionRecord, maxSeq: number, announced: boolean): void {
    this.db.transaction(() => {
      this.db
        .prepare(`INSERT INTO versions (dataset, version, seal_key, dataset_id, manifest_path, sealed, created_at, announced) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(record.dataset, record.version, record.sealKey, record.datasetId, record.manifestPath, JSON.stringify(record.sealed), record.createdAt, announced ? 1 : 0);
      this.db.prepare(`UPDATE documents SET sealed_in = ? WHERE dataset = ? AND sealed_in IS NULL AND seq <= ?`).run(record.version, record.dataset, maxSeq);
    }).immediate();
  }

  markAnnounced(sealKey: string): void {
    this.db.prepare(`UPDATE versions SET announced = 1 WHERE seal_key = ?`).run(sealKey);
  }

  /** Versions whose `datasets.sealed` may not have been published yet, oldest first. */
  unannounced(): VersionRecord[] {
    return (this.db.prepare(`SELECT * FROM versions WHERE announced = 0 ORDER BY created_at, dataset, version`).all() as VersionRow[]).map(toRecord);
  }

  has(dataset: string): boolean {
    return this.db.prepare(`SELECT 1 FROM documents WHERE dataset = ? LIMIT 1`).get(dataset) !== undefined;
  }

  list(): DatasetSummary[] {
    const datasets = this.db
      .prepare(
        `SELECT dataset AS name, COUNT(*) AS total,
                SUM(CASE WHEN sealed_in IS NULL THEN 1 ELSE 0 END) AS open,
                SUM(CASE WHEN sealed_in IS NULL THEN chars ELSE 0 END) AS openChars
         FROM documents GROUP BY dataset ORDER BY dataset`,
      )
      .all() as { name: string; total: number; open: number; openChars: number }[];
    const versions = this.db.prepare(`SELECT * FROM versions ORDER BY dataset, version`).all() as VersionRow[];
    return datasets.map((d) => ({
      name: d.name,
      openDocuments: d.open,
      openChars: d.openChars,
      totalDocuments: d.total,
      versions: versions
        .filter((v) => v.dataset === d.name)
        .map(toRecord)
        .map((v) => ({
          version: v.version,
          datasetId: v.datasetId,
          documents: v.sealed.documents,
          tokens: v.sealed.tokens.train + v.sealed.tokens.validation,
          createdAt: v.createdAt,
        })),
    }));
  }

  close(): void {
    this.db.close();
  }
}
