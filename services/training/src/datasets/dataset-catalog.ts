/**
 * What the training service knows about datasets, learned from `datasets.sealed`: each sealed
 * version's payload (the manifest path a run trains on), and per dataset name the version the
 * retrain policy last requested training for. SQLite at `<dataDir>/training/catalog.sqlite`.
 */
import { type DatasetSealed, DatasetSealedSchema } from '@crucible/contracts';
import Database from 'better-sqlite3';

export interface RetrainMark {
  readonly dataset: string;
  readonly datasetId: string;
  readonly trainTokens: number;
  readonly runId: string;
}

export class DatasetCatalog {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS sealed (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        dataset_id TEXT NOT NULL UNIQUE,
        dataset TEXT NOT NULL,
        train_tokens INTEGER NOT NULL,
        payload TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS retrain (
        dataset TEXT PRIMARY KEY,
        dataset_id TEXT NOT NULL,
        train_tokens INTEGER NOT NULL,
        run_id TEXT NOT NULL
      );`);
  }

  /** Idempotent: a redelivered seal keeps its first record. */
  record(sealed: DatasetSealed): void {
    this.db
      .prepare('INSERT OR IGNORE INTO sealed (dataset_id, dataset, train_tokens, payload) VALUES (?, ?, ?, ?)')
      .run(sealed.datasetId, sealed.dataset, sealed.tokens.train, JSON.stringify(sealed));
  }

  get(datasetId: string): DatasetSealed | undefined {
    const row = this.db.prepare('SELECT payload FROM sealed WHERE dataset_id = ?').get(datasetId) as { payload: string } | undefined;
    return row && DatasetSealedSchema.parse(JSON.parse(row.payload));
  }

  /** The newest sealed version of every dataset name (the retrain timer's candidates). */
  newestPerDataset(): DatasetSealed[] {
    const rows = this.db
      .prepare('SELECT payload FROM sealed WHERE seq IN (SELECT MAX(seq) FROM sealed GROUP BY dataset) ORDER BY seq')
      .all() as { payload: string }[];
    return rows.map((r) => DatasetSealedSchema.parse(JSON.parse(r.payload)));
  }

  lastRetrain(dataset: string): RetrainMark | undefined {
    const row = this.db.prepare('SELECT dataset, dataset_id, train_tokens, run_id FROM retrain WHERE dataset = ?').get(dataset) as
      | { dataset: string; dataset_id: string; train_tokens: number; run_id: string }
      | undefined;
    return row && { dataset: row.dataset, datasetId: row.dataset_id, trainTokens: row.train_tokens, runId: row.run_id };
  }

  markRetrain(mark: RetrainMark): void {
    this.db
      .prepare('INSERT INTO retrain (dataset, dataset_id, train_tokens, run_id) VALUES (?, ?, ?, ?) ON CONFLICT (dataset) DO UPDATE SET dataset_id = excluded.dataset_id, train_tokens = excluded.train_tokens, run_id = excluded.run_id')
      .run(mark.dataset, mark.datasetId, mark.trainTokens, mark.runId);
  }

  close(): void {
    this.db.close();
  }
}
