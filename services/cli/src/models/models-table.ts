/** The `crucible models` table: one line per model with its aliases and latest verdicts. */
import type { ModelOverview } from '@crucible/registry';
import { formatTable, formatVerdict } from '../report/text-table';

const COLUMNS = [
  { header: 'MODEL' },
  { header: 'VERSIONS', align: 'right' },
  { header: 'CHAMPION' },
  { header: 'CHALLENGER' },
  { header: 'LATEST' },
  { header: 'EVAL' },
  { header: 'SAFETY' },
  { header: 'OTHER ALIASES' },
] as const;

const SHOWN = new Set(['champion', 'challenger']);

export function formatModelsTable(models: readonly ModelOverview[]): string {
  if (models.length === 0) return 'No model versions yet.';
  const rows = models.map((m) => [
    m.name,
    String(m.versions),
    m.aliases.champion ?? '-',
    m.aliases.challenger ?? '-',
    m.latest ?? '-',
    formatVerdict(m.latestVerdicts.evaluation),
    formatVerdict(m.latestVerdicts.safety),
    Object.entries(m.aliases)
      .filter(([alias]) => !SHOWN.has(alias))
      .map(([alias, id]) => `${alias}=${id}`)
      .join(' ') || '-',
  ]);
  return `${formatTable(COLUMNS, rows)}\n(EVAL and SAFETY are the verdicts of the LATEST version.)`;
}
