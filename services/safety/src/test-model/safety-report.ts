/** `safety-report.json` in the artifact directory: the full report, next to the weights it judges. */
import type { ModelSafetyTested, Verdict } from '@crucible/contracts';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SafetyConfig } from '../safety.config';
import type { SuiteResult } from '../suite/suite-result';

export const SAFETY_REPORT_FILE = 'safety-report.json';
export const SAFETY_REPORT_FORMAT = 'crucible.safety-report.v1';

export interface SafetyReport {
  readonly format: typeof SAFETY_REPORT_FORMAT;
  readonly versionId: string;
  readonly model: string;
  readonly artifactPath: string;
  readonly testedAt: string;
  readonly seconds: number;
  readonly categories: ModelSafetyTested['categories'];
  readonly suites: readonly SuiteResult[];
  readonly gate: SafetyConfig['gate'];
  readonly verdict: Verdict;
}

/** Per-category failure rates and counts, the registry's metrics of the report. */
export function reportMetrics(report: Pick<SafetyReport, 'categories' | 'suites'>): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [category, c] of Object.entries(report.categories)) {
    metrics[`${category}.probes`] = c.probes;
    metrics[`${category}.failures`] = c.failures;
  }
  for (const s of report.suites) metrics[`${s.name}.failure_rate`] = s.probes ? s.failures / s.probes : 0;
  return metrics;
}

export function writeSafetyReport(dir: string, report: SafetyReport): string {
  const path = join(dir, SAFETY_REPORT_FILE);
  // Write then rename: a reader never sees half a report.
  writeFileSync(`${path}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  return path;
}

/** The stored report of `versionId`, if the directory has one for that version. */
export function readSafetyReport(dir: string, versionId: string): SafetyReport | undefined {
  const path = join(dir, SAFETY_REPORT_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const report = JSON.parse(readFileSync(path, 'utf8')) as SafetyReport;
    return report.format === SAFETY_REPORT_FORMAT && report.versionId === versionId ? report : undefined;
  } catch {
    return undefined;
  }
}
