/**
 * Reads the parts of stored reports that both renderers show. Reports are free-form JSON
 * written by the evaluation and safety services, so every field is checked, never assumed:
 * a report from an older or newer service still renders what it has.
 */
import { isOwaspCategoryId, owaspCategoryName } from '@crucible/guardrails';
import type { StoredReport } from '@crucible/registry';

export interface SafetyCategoryRow {
  /** OWASP LLM Top 10 (2025) id, e.g. `LLM01:2025`. */
  readonly id: string;
  readonly name: string;
  readonly probes: number;
  readonly failures: number;
  readonly failureRate: number;
}

export interface SafetySuiteRow {
  readonly name: string;
  readonly title: string;
  readonly category: string;
  readonly probes: number;
  readonly failures: number;
  readonly notes: readonly string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const categoryName = (id: string, given?: string): string => given ?? (isOwaspCategoryId(id) ? owaspCategoryName(id) : id);

/**
 * Per-category probe and failure counts: from `report.categories` (as in `model.safety-tested`),
 * else from `<category>.probes` / `<category>.failures` metrics.
 */
export function safetyCategories(report: StoredReport | undefined): SafetyCategoryRow[] {
  if (!report) return [];
  const counts = new Map<string, { probes: number; failures: number; name?: string }>();
  const categories = isRecord(report.report) ? report.report.categories : undefined;
  if (isRecord(categories)) {
    for (const [id, c] of Object.entries(categories)) {
      if (!isRecord(c)) continue;
      const name = str(c.name);
      counts.set(id, { probes: num(c.probes) ?? 0, failures: num(c.failures) ?? 0, ...(name !== undefined && { name }) });
    }
  } else {
    for (const [key, value] of Object.entries(report.metrics)) {
      const match = /^(.+)\.(probes|failures)$/.exec(key);
      if (!match?.[1] || !isOwaspCategoryId(match[1])) continue;
      const row = counts.get(match[1]) ?? { probes: 0, failures: 0 };
      row[match[2] as 'probes' | 'failures'] = value;
      counts.set(match[1], row);
    }
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, c]) => ({ id, name: categoryName(id, c.name), probes: c.probes, failures: c.failures, failureRate: c.probes ? c.failures / c.probes : 0 }));
}

/** The safety report's per-suite results (`report.suites`), when present. */
export function safetySuites(report: StoredReport | undefined): SafetySuiteRow[] {
  const suites = isRecord(report?.report) ? report.report.suites : undefined;
  if (!Array.isArray(suites)) return [];
  return suites.filter(isRecord).map((s) => ({
    name: str(s.name) ?? '?',
    title: str(s.title) ?? str(s.name) ?? '?',
    category: str(s.category) ?? '?',
    probes: num(s.probes) ?? 0,
    failures: num(s.failures) ?? 0,
    notes: Array.isArray(s.notes) ? s.notes.filter((n): n is string => typeof n === 'string') : [],
  }));
}

/** The champion an evaluation was judged against (`report.champion`), when there was one. */
export function championBaseline(report: StoredReport | undefined): { versionId: string; metrics: Record<string, number> } | undefined {
  const champion = isRecord(report?.report) ? report.report.champion : undefined;
  if (!isRecord(champion) || typeof champion.versionId !== 'string' || !isRecord(champion.metrics)) return undefined;
  const metrics = Object.fromEntries(Object.entries(champion.metrics).filter((e): e is [string, number] => num(e[1]) !== undefined));
  return { versionId: champion.versionId, metrics };
}
