/** `crucible runs [--json] [--status <s>] [--limit <n>]`: training runs from the registry. */
import { RUN_STATUSES, type Run, type RunStatus } from '@crucible/registry';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { loadCliConfig } from '../config';
import { cliRegistryUrl, REGISTRY_HELP, withCliRegistry } from '../report/open-cli-registry';
import { formatRunsTable } from './runs-table';

export interface RunsOptions {
  readonly project: string;
  readonly registry?: string;
  readonly json: boolean;
  readonly status?: RunStatus;
  readonly limit: number;
}

/** The command's output, as text (the table, or JSON). */
export async function runsOutput(options: RunsOptions, registryUrl: string, now = new Date()): Promise<string> {
  const runs = await withCliRegistry<Run[]>(registryUrl, () => [], (registry) =>
    registry.runs.list({ ...(options.status && { status: options.status }), limit: options.limit }),
  );
  return options.json ? JSON.stringify(runs, null, 2) : formatRunsTable(runs, now);
}

export function registerRunsCommand(program: Command, defaultProject: string): void {
  program
    .command('runs')
    .description('training runs: status, step, last loss, start and duration (newest first)')
    .option('-p, --project <file>', 'project file (its dataDir holds registry.db)', defaultProject)
    .option('--registry <url>', 'registry URL (overrides CRUCIBLE_REGISTRY_URL and the project)')
    .addOption(new Option('--status <status>', 'only runs in this status').choices(RUN_STATUSES))
    .option('--limit <n>', 'at most this many runs', positiveInt, 50)
    .option('--json', 'machine-readable output', false)
    .addHelpText('after', REGISTRY_HELP)
    .action(async (options: RunsOptions) => {
      const text = await runsOutput(options, cliRegistryUrl(options, loadCliConfig()));
      process.stdout.write(`${text}\n`);
    });
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`must be a positive integer, got ${value}`);
  return n;
}
