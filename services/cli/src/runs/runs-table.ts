/** The `crucible runs` table: one line per training run, newest first. */
import type { Run } from '@crucible/registry';
import { formatDuration, formatNumber, formatTable, formatTime } from '../report/text-table';

const COLUMNS = [
  { header: 'RUN' },
  { header: 'MODEL' },
  { header: 'DATASET' },
  { header: 'STATUS' },
  { header: 'STEP', align: 'right' },
  { header: 'LOSS', align: 'right' },
  { header: 'STARTED' },
  { header: 'DURATION', align: 'right' },
] as const;

/** Wall time of a run: until it finished, or until `now` while it still runs. */
export function runDuration(run: Run, now: Date): string {
  if (!run.startedAt) return '-';
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now.getTime();
  return formatDuration(end - Date.parse(run.startedAt));
}

export function formatRunsTable(runs: readonly Run[], now: Date): string {
  if (runs.length === 0) return 'No training runs yet.';
  const rows = runs.map((run) => [
    run.runId,
    run.model,
    run.datasetId,
    run.attempt > 1 ? `${run.status} (attempt ${run.attempt})` : run.status,
    `${run.step}/${run.totalSteps ?? '?'}`,
    formatNumber(run.lastLoss),
    formatTime(run.startedAt),
    runDuration(run, now),
  ]);
  return formatTable(COLUMNS, rows);
}
