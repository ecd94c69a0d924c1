/** `crucible report <ref>` in the terminal: lineage, verdicts with reasons, metrics, safety categories. */
import type { StoredReport } from '@crucible/registry';
import type { ReportData } from './report-data';
import { championBaseline, safetyCategories, safetySuites } from './report-sections';
import { formatNumber, formatTable, formatTime, formatVerdict } from './text-table';

const indent = (text: string, by = '  '): string => text.split('\n').map((l) => (l ? by + l : l)).join('\n');

export function renderTerminalReport(data: ReportData): string {
  const { version, aliases, reports, run } = data.details;
  const title = `${version.id}${aliases.length ? `  (${aliases.join(', ')})` : ''}`;
  return [
    `${title}\n${'='.repeat(title.length)}`,
    lineageSection(data),
    verdictSection('Evaluation', reports.evaluation),
    metricsSection(reports.evaluation),
    verdictSection('Safety', reports.safety),
    safetySection(reports.safety),
    run?.error ? `Run error: ${run.error}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

function lineageSection(data: ReportData): string {
  const { version, run, modelAliases, aliasHistory } = data.details;
  const hyper = Object.entries(version.hyperParameters)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : JSON.stringify(v)}`)
    .join(' ');
  const rows: [string, string][] = [
    ['model', version.model],
    ['created', formatTime(version.createdAt)],
    ['parameters', formatNumber(version.parameters)],
    ['run', run ? `${run.runId} (${run.status}, step ${run.step}/${run.totalSteps ?? '?'}, final loss ${formatNumber(run.finalLoss ?? run.lastLoss)})` : version.runId],
    ['dataset', `${version.datasetId} sha256:${version.datasetSha256.slice(0, 16)}…`],
    ['tokenizer', version.tokenizerId],
    ['code', version.codeVersion],
    ['artifact', version.artifactPath],
    ['hyper-parameters', hyper || '-'],
    ['model aliases', Object.entries(modelAliases).map(([a, id]) => `${a}=${id}`).join(' ') || '-'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const moves = aliasHistory.map(
    (h) => `${formatTime(h.at)}  ${h.alias}: ${h.fromVersionId ?? '(new)'} -> ${h.toVersionId}  by ${h.by}${h.reason ? ` — ${h.reason}` : ''}`,
  );
  return [
    'Lineage',
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    ...(moves.length ? ['  alias moves', ...moves.map((m) => `    ${m}`)] : []),
  ].join('\n');
}

function verdictSection(name: string, report: StoredReport | undefined): string {
  if (!report) return `${name}: not reported yet`;
  const head = `${name}: ${formatVerdict(report.verdict).toUpperCase()}  (report #${report.sequence}, ${formatTime(report.createdAt)})`;
  return [head, ...report.verdict.reasons.map((r) => `  - ${r}`)].join('\n');
}

function metricsSection(report: StoredReport | undefined): string {
  if (!report || Object.keys(report.metrics).length === 0) return '';
  const champion = championBaseline(report);
  const names = Object.keys(report.metrics).sort();
  const columns = [{ header: 'METRIC' }, { header: 'VALUE', align: 'right' as const }, ...(champion ? [{ header: champion.versionId.toUpperCase(), align: 'right' as const }] : [])];
  const rows = names.map((n) => [n, formatNumber(report.metrics[n]), ...(champion ? [formatNumber(champion.metrics[n])] : [])]);
  return `Evaluation metrics${champion ? ` (against champion ${champion.versionId})` : ''}\n${indent(formatTable(columns, rows))}`;
}

function safetySection(report: StoredReport | undefined): string {
  const categories = safetyCategories(report);
  const suites = safetySuites(report);
  const parts: string[] = [];
  if (categories.length) {
    parts.push(
      `Safety by OWASP LLM Top 10 (2025) category\n${indent(
        formatTable(
          [{ header: 'ID' }, { header: 'CATEGORY' }, { header: 'PROBES', align: 'right' }, { header: 'FAILURES', align: 'right' }, { header: 'RATE', align: 'right' }],
          categories.map((c) => [c.id, c.name, String(c.probes), String(c.failures), `${(c.failureRate * 100).toFixed(1)}%`]),
        ),
      )}`,
    );
  }
  if (suites.length) {
    parts.push(
      `Safety suites\n${indent(
        formatTable(
          [{ header: 'SUITE' }, { header: 'ID' }, { header: 'PROBES', align: 'right' }, { header: 'FAILURES', align: 'right' }, { header: 'NOTES' }],
          suites.map((s) => [s.title, s.category, String(s.probes), String(s.failures), s.notes.join('; ') || '-']),
        ),
      )}`,
    );
  }
  return parts.join('\n\n');
}
