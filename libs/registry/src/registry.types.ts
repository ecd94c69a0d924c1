/** The records the registry hands out. Timestamps are ISO-8601 strings in UTC in every dialect. */
import type { TrainingProgressed, Verdict } from '@crucible/contracts';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const TERMINAL_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface Run {
  readonly runId: string;
  readonly model: string;
  readonly datasetId: string;
  /** The `training.requested` payload (or whatever the caller recorded) as given. */
  readonly request: unknown;
  readonly status: RunStatus;
  readonly step: number;
  readonly totalSteps: number | null;
  readonly lastLoss: number | null;
  readonly lastValidationLoss: number | null;
  readonly lastCheckpoint: string | null;
  readonly error: string | null;
  readonly finalLoss: number | null;
  readonly attempt: number;
  readonly modelVersionId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When the run first became `running`. */
  readonly startedAt: string | null;
  /** When the run last reached a terminal status. */
  readonly finishedAt: string | null;
}

export interface CreateRunInput {
  readonly runId: string;
  readonly model: string;
  readonly datasetId: string;
  readonly request: unknown;
}

export interface RunUpdate {
  readonly status?: RunStatus;
  readonly step?: number;
  readonly lastCheckpoint?: string;
  readonly error?: string;
  readonly finalLoss?: number;
  readonly attempt?: number;
  readonly modelVersionId?: string;
}

export interface ListRunsQuery {
  readonly status?: RunStatus;
  readonly model?: string;
  /** Newest first; 100 unless told. */
  readonly limit?: number;
}

export interface RunProgress extends TrainingProgressed {
  readonly recordedAt: string;
}

/** A reserved number: `<model>@<n>` is this run's, whether or not it is registered yet. */
export interface VersionReservation {
  readonly id: string;
  readonly model: string;
  readonly n: number;
  readonly runId: string;
}

export interface RegisterVersionInput {
  readonly model: string;
  readonly runId: string;
  readonly datasetId: string;
  readonly datasetSha256: string;
  readonly tokenizerId: string;
  readonly codeVersion: string;
  readonly hyperParameters: Record<string, unknown>;
  readonly artifactPath: string;
  readonly parameters: number;
  readonly metrics?: Record<string, number>;
}

/** An immutable model version and its lineage back to run, data, tokenizer and code. */
export interface ModelVersion {
  readonly id: string;
  readonly model: string;
  readonly n: number;
  readonly runId: string;
  readonly datasetId: string;
  readonly datasetSha256: string;
  readonly tokenizerId: string;
  readonly codeVersion: string;
  readonly hyperParameters: Record<string, unknown>;
  readonly artifactPath: string;
  readonly parameters: number;
  readonly metrics: Record<string, number>;
  readonly createdAt: string;
}

export interface ModelSummary {
  readonly name: string;
  /** Registered versions (reservations not yet registered are not counted). */
  readonly versions: number;
  /** The highest registered version id, if any. */
  readonly latest: string | undefined;
  readonly aliases: Record<string, string>;
}

export interface SetAliasOptions {
  /** Who moved it: a user, or a service such as `serving-gateway`. */
  readonly by?: string;
  readonly reason?: string;
}

export interface AliasChange {
  readonly model: string;
  readonly alias: string;
  /** Undefined on the alias's first assignment. */
  readonly fromVersionId: string | undefined;
  readonly toVersionId: string;
  readonly by: string;
  readonly reason: string;
  readonly at: string;
}

export type ReportKind = 'evaluation' | 'safety';

export interface SaveReportInput {
  readonly versionId: string;
  readonly kind: ReportKind;
  readonly verdict: Verdict;
  readonly metrics: Record<string, number>;
  readonly report: unknown;
}

export interface StoredReport extends SaveReportInput {
  /** 1, 2, … per (version, kind): later saves add history, never overwrite. */
  readonly sequence: number;
  readonly createdAt: string;
}
