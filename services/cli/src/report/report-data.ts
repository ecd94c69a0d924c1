/** Everything `crucible report` shows about one version, read from the registry once. */
import { parseModelReference, versionDetails, type Registry, type VersionDetails } from '@crucible/registry';

export interface VersionMetrics {
  readonly versionId: string;
  readonly n: number;
  readonly metrics: Record<string, number>;
  readonly passed: boolean;
}

export interface ReportData {
  readonly ref: string;
  readonly details: VersionDetails;
  /** Latest evaluation metrics of every version of the model that has them, by number: the comparison bars. */
  readonly evaluations: readonly VersionMetrics[];
  readonly generatedAt: string;
}

/** Versions compared in the bar charts: the newest this many, plus the reported one. */
const COMPARED_VERSIONS = 8;

export async function collectReport(registry: Registry, ref: string, now = new Date()): Promise<ReportData | undefined> {
  parseModelReference(ref);
  const details = await versionDetails(registry, ref);
  if (!details) return undefined;
  const versions = (await registry.models.listVersions(details.version.model)).filter(
    (v, i, all) => i >= all.length - COMPARED_VERSIONS || v.id === details.version.id,
  );
  const evaluations: VersionMetrics[] = [];
  for (const v of versions) {
    const report = await registry.reports.get(v.id, 'evaluation');
    if (report) evaluations.push({ versionId: v.id, n: v.n, metrics: report.metrics, passed: report.verdict.passed });
  }
  return { ref, details, evaluations, generatedAt: now.toISOString() };
}
