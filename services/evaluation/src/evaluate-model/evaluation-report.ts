/**
 * The evaluation report of one model version: what was measured, how, and the verdict. Stored
 * as the registry's `evaluation` report and as `eval-report.json` in the artifact directory
 * (the file lets a redelivered event reuse the work even when the registry write failed).
 */
import type { Verdict } from '@crucible/contracts';
import type { HeldOutResult } from '@crucible/eval-metrics';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskResult } from '../tasks/run-task';

export const REPORT_FILE = 'eval-report.json';
export const REPORT_FORMAT = 'crucible.evaluation-report';

export type HeldOutSection = (HeldOutResult & { readonly manifestPath: string; readonly shards: number }) | { readonly skipped: string };

export interface EvaluationReport {
  readonly format: typeof REPORT_FORMAT;
  readonly versionId: string;
  readonly model: string;
  readonly artifactPath: string;
  readonly evaluatedAt: string;
  readonly seconds: number;
  /** Flat metrics, as in `model.evaluated`: perplexity, bitsPerByte, `<task>.<metric>`. */
  readonly metrics: Record<string, number>;
  readonly heldOut: HeldOutSection;
  readonly tasks: readonly TaskResult[];
  /** The baseline the gate compared with (re-measured values when `note` says so). */
  readonly champion: { readonly versionId: string; readonly metrics: Record<string, number>; readonly note?: string } | null;
  readonly gate: unknown;
  readonly verdict: Verdict;
}

/** Written to a temp file and renamed, so a reader never sees half a report. */
export function writeReportFile(dir: string, report: EvaluationReport): string {
  const path = join(dir, REPORT_FILE);
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(temporary, path);
  return path;
}

/** The report file of `versionId` in `dir`, if there is a readable one for that version. */
export function readReportFile(dir: string, versionId: string): EvaluationReport | undefined {
  const path = join(dir, REPORT_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const report = JSON.parse(readFileSync(path, 'utf8')) as EvaluationReport;
    return report.format === REPORT_FORMAT && report.versionId === versionId ? report : undefined;
  } catch {
    return undefined; // a torn or foreign file: evaluate again
  }
}
