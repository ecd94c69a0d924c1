/**
 * `crucible report <ref> --html <file>`: one self-contained HTML file (inline CSS, inline
 * SVG, no scripts, no external assets) with the loss curve, metric bars across versions,
 * the safety table by OWASP category and the lineage.
 */
import type { StoredReport } from '@crucible/registry';
import { escapeHtml as e } from './escape-html';
import type { ReportData } from './report-data';
import { championBaseline, safetyCategories, safetySuites } from './report-sections';
import { barChart, lineChart } from './svg-charts';
import { formatNumber, formatTime, formatVerdict } from './text-table';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;color:#1d2330;max-width:1040px;margin:24px auto;padding:0 16px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde1e8;padding-bottom:4px}
h3{font-size:14px;margin:14px 0 4px}.muted{color:#6b7385;fill:#6b7385}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;margin-right:6px;background:#e8ecf3}
.pass{background:#d9f2e3;color:#17643a}.fail{background:#fbe0e0;color:#9b1c1c}
table{border-collapse:collapse;margin:6px 0}td,th{padding:3px 10px;text-align:left;border-bottom:1px solid #eef0f4;vertical-align:top}
th{font-weight:600;font-size:12px;color:#4a5263}td.num{text-align:right;font-variant-numeric:tabular-nums}
.grid{stroke:#e6e9ef}.tick{font-size:11px;fill:#4a5263}.label{font-size:12px;fill:#1d2330}
.bar{fill:#9fb3d1}.bar.hl{fill:#2f6fd0}.bars{display:flex;flex-wrap:wrap;gap:8px 28px}
ul.reasons{margin:4px 0;padding-left:20px}code{font-size:12px}
`;

const LOSS_COLOR = '#2f6fd0';
const VALIDATION_COLOR = '#d2691e';

export function renderHtmlReport(data: ReportData): string {
  const { version } = data.details;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(version.id)} — Crucible model report</title><style>${CSS}</style></head>
<body>
${header(data)}
${trainingSection(data)}
${evaluationSection(data)}
${safetySection(data.details.reports.safety)}
${lineageSection(data)}
<p class="muted">Generated ${e(formatTime(data.generatedAt))} UTC from the Crucible registry (reference <code>${e(data.ref)}</code>).</p>
</body></html>
`;
}

const verdictBadge = (name: string, report: StoredReport | undefined): string =>
  `<span class="badge ${report ? (report.verdict.passed ? 'pass' : 'fail') : ''}">${e(name)}: ${e(formatVerdict(report?.verdict))}</span>`;

function header(data: ReportData): string {
  const { version, aliases, reports } = data.details;
  return `<h1>${e(version.id)}</h1>
<p>${aliases.map((a) => `<span class="badge">${e(a)}</span>`).join('')}${verdictBadge('evaluation', reports.evaluation)}${verdictBadge('safety', reports.safety)}
<span class="muted">${formatNumber(version.parameters)} parameters · created ${e(formatTime(version.createdAt))}</span></p>`;
}

function trainingSection(data: ReportData): string {
  const { progress, run } = data.details;
  const loss = progress.map((p) => ({ x: p.step, y: p.loss }));
  const validation = progress.filter((p) => p.validationLoss !== undefined).map((p) => ({ x: p.step, y: p.validationLoss as number }));
  const chart = lineChart({
    series: [
      { name: 'training loss', color: LOSS_COLOR, points: loss },
      ...(validation.length ? [{ name: 'validation loss', color: VALIDATION_COLOR, points: validation, dashed: true }] : []),
    ],
    xLabel: 'step',
    yLabel: 'loss',
  });
  const summary = run
    ? `<p>Run <code>${e(run.runId)}</code>: ${e(run.status)}, step ${run.step}/${run.totalSteps ?? '?'}, final loss ${e(formatNumber(run.finalLoss ?? run.lastLoss))}${run.attempt > 1 ? `, attempt ${run.attempt}` : ''}.</p>`
    : '<p class="muted">The training run is not in this registry.</p>';
  return `<h2>Training</h2>${summary}${chart}`;
}

function reasons(report: StoredReport): string {
  return `<ul class="reasons">${report.verdict.reasons.map((r) => `<li>${e(r)}</li>`).join('')}</ul>`;
}

function evaluationSection(data: ReportData): string {
  const report = data.details.reports.evaluation;
  if (!report) return '<h2>Evaluation</h2><p class="muted">Not evaluated yet.</p>';
  const champion = championBaseline(report);
  const aliasOf = new Map(Object.entries(data.details.modelAliases).map(([alias, id]) => [id, alias]));
  const charts = Object.keys(report.metrics)
    .sort()
    .map((metric) => {
      const bars = data.evaluations
        .filter((v) => Number.isFinite(v.metrics[metric]))
        .map((v) => ({
          label: aliasOf.has(v.versionId) ? `${v.versionId} (${aliasOf.get(v.versionId)})` : v.versionId,
          value: v.metrics[metric] as number,
          text: formatNumber(v.metrics[metric]),
          highlight: v.versionId === data.details.version.id,
        }));
      return `<div><h3>${e(metric)}</h3>${barChart({ bars, labelWidth: 150 })}</div>`;
    })
    .join('');
  const rows = Object.keys(report.metrics)
    .sort()
    .map((m) => `<tr><td>${e(m)}</td><td class="num">${e(formatNumber(report.metrics[m]))}</td>${champion ? `<td class="num">${e(formatNumber(champion.metrics[m]))}</td>` : ''}</tr>`)
    .join('');
  return `<h2>Evaluation ${verdictBadge('verdict', report)}</h2>${reasons(report)}
<table><tr><th>metric</th><th>${e(data.details.version.id)}</th>${champion ? `<th>champion ${e(champion.versionId)}</th>` : ''}</tr>${rows}</table>
<p class="muted">Each chart compares the versions of ${e(data.details.version.model)} that have an evaluation; this version is highlighted.</p>
<div class="bars">${charts}</div>`;
}

function safetySection(report: StoredReport | undefined): string {
  if (!report) return '<h2>Safety</h2><p class="muted">Not safety-tested yet.</p>';
  const categories = safetyCategories(report);
  const suites = safetySuites(report);
  const categoryRows = categories
    .map(
      (c) =>
        `<tr><td><code>${e(c.id)}</code></td><td>${e(c.name)}</td><td class="num">${c.probes}</td><td class="num">${c.failures}</td><td>${barChart({
          bars: [{ label: '', value: c.failureRate, text: `${(c.failureRate * 100).toFixed(1)}%`, highlight: c.failures > 0 }],
          max: 1,
          width: 220,
          labelWidth: 4,
        })}</td></tr>`,
    )
    .join('');
  const suiteRows = suites
    .map((s) => `<tr><td>${e(s.title)}</td><td><code>${e(s.category)}</code></td><td class="num">${s.probes}</td><td class="num">${s.failures}</td><td>${e(s.notes.join('; '))}</td></tr>`)
    .join('');
  return `<h2>Safety ${verdictBadge('verdict', report)}</h2>${reasons(report)}
${categories.length ? `<h3>By OWASP LLM Top 10 (2025) category</h3><table><tr><th>id</th><th>category</th><th>probes</th><th>failures</th><th>failure rate</th></tr>${categoryRows}</table>` : ''}
${suites.length ? `<h3>Suites</h3><table><tr><th>suite</th><th>category</th><th>probes</th><th>failures</th><th>notes</th></tr>${suiteRows}</table>` : ''}`;
}

function lineageSection(data: ReportData): string {
  const { version, aliasHistory, modelAliases } = data.details;
  const rows: [string, string][] = [
    ['version', version.id],
    ['run', version.runId],
    ['dataset', version.datasetId],
    ['dataset sha256', version.datasetSha256],
    ['tokenizer', version.tokenizerId],
    ['code version', version.codeVersion],
    ['artifact', version.artifactPath],
    ['parameters', formatNumber(version.parameters)],
    ['hyper-parameters', JSON.stringify(version.hyperParameters)],
    ['model aliases', Object.entries(modelAliases).map(([a, id]) => `${a} → ${id}`).join(', ') || '-'],
  ];
  const moves = aliasHistory
    .map((h) => `<tr><td>${e(formatTime(h.at))}</td><td>${e(h.alias)}</td><td>${e(h.fromVersionId ?? '(new)')} → ${e(h.toVersionId)}</td><td>${e(h.by)}</td><td>${e(h.reason)}</td></tr>`)
    .join('');
  return `<h2>Lineage</h2><table>${rows.map(([k, v]) => `<tr><th>${e(k)}</th><td><code>${e(v)}</code></td></tr>`).join('')}</table>
${moves ? `<h3>Alias moves</h3><table><tr><th>when</th><th>alias</th><th>move</th><th>by</th><th>reason</th></tr>${moves}</table>` : ''}`;
}
