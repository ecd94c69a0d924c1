/**
 * Table shapes as Kysely sees them. JSON and timestamp columns differ by dialect (text in
 * SQLite; jsonb and timestamptz in PostgreSQL), so their selected type is `unknown` and every
 * read goes through the dialect's `Codec`; writes always pass strings, which both accept.
 */
import type { ColumnType, Kysely } from 'kysely';

type Json = ColumnType<unknown, string, string>;
type Timestamp = ColumnType<unknown, string, string>;
type NullableTimestamp = ColumnType<unknown, string | null, string | null>;

export interface RunsTable {
  run_id: string;
  model: string;
  dataset_id: string;
  request: Json;
  status: string;
  step: number;
  total_steps: number | null;
  last_loss: number | null;
  last_validation_loss: number | null;
  last_checkpoint: string | null;
  error: string | null;
  final_loss: number | null;
  attempt: number;
  model_version_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

export interface RunProgressTable {
  run_id: string;
  step: number;
  payload: Json;
  recorded_at: Timestamp;
}

export interface ModelsTable {
  name: string;
  /** The last number handed out; the row is also the lock that serialises numbering. */
  last_version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ModelVersionsTable {
  id: string;
  model: string;
  n: number;
  run_id: string;
  /** `reserved` until the artifact exists and the lineage is registered. */
  state: 'reserved' | 'registered';
  dataset_id: string | null;
  dataset_sha256: string | null;
  tokenizer_id: string | null;
  code_version: string | null;
  hyper_parameters: ColumnType<unknown, string | null, string | null>;
  artifact_path: string | null;
  parameters: number | null;
  metrics: ColumnType<unknown, string | null, string | null>;
  reserved_at: Timestamp;
  created_at: NullableTimestamp;
}

export interface AliasesTable {
  model: string;
  alias: string;
  version_id: string;
  updated_at: Timestamp;
}

export interface AliasHistoryTable {
  model: string;
  sequence: number;
  alias: string;
  from_version_id: string | null;
  to_version_id: string;
  changed_by: string;
  reason: string;
  changed_at: Timestamp;
}

export interface ReportsTable {
  version_id: string;
  kind: string;
  sequence: number;
  content_sha256: string;
  passed: number;
  reasons: Json;
  metrics: Json;
  report: Json;
  created_at: Timestamp;
}

export interface RegistryDatabase {
  runs: RunsTable;
  run_progress: RunProgressTable;
  models: ModelsTable;
  model_versions: ModelVersionsTable;
  aliases: AliasesTable;
  alias_history: AliasHistoryTable;
  reports: ReportsTable;
}

export type RegistryDb = Kysely<RegistryDatabase>;
