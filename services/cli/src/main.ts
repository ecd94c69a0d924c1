/**
 * The `crucible` command line. `crucible up` runs the whole pipeline in one process on the
 * embedded bus (the laptop default); the other commands work against the same project.
 * Heavy commands are loaded when run, so `crucible runs` does not pay for every service.
 */
import { CrucibleError } from '@crucible/contracts';
import { Command } from 'commander';
import { loadCliConfig } from './config';
import { lazyCommand } from './lazy-command';
import { registerModelCommands } from './model-commands';
import { registerModelsCommand } from './models/models.command';
import { registerReportCommand } from './report/report.command';
import { registerRunsCommand } from './runs/runs.command';
import { status } from './status/status.command';

const DEFAULT_PROJECT = 'crucible.yaml';

/* eslint-disable @typescript-eslint/no-require-imports -- see lazy-command.ts */
const upCommand = lazyCommand(() => require('./up/up.command') as typeof import('./up/up.command'));
const ingestCommand = lazyCommand(() => require('./ingest/ingest.command') as typeof import('./ingest/ingest.command'));
/* eslint-enable @typescript-eslint/no-require-imports */

const program = new Command('crucible').description('Raw text to a served, evaluated, safety-tested language model.');

program
  .command('up')
  .description('run every stage in one process on the embedded bus and feed it the project sources')
  .option('-p, --project <file>', 'project file', DEFAULT_PROJECT)
  .option('--port <port>', 'HTTP port (overrides the project file)', (v) => Number.parseInt(v, 10))
  .option('--exit-when-idle', 'exit once every source document has been processed', false)
  .action((options) => upCommand().up({ project: options.project, exitWhenIdle: options.exitWhenIdle, port: options.port }, loadCliConfig()));

program
  .command('ingest')
  .description('send files and folders (.txt .md .html .json .jsonl) to the pipeline')
  .argument('<paths...>')
  .option('-p, --project <file>', 'project file', DEFAULT_PROJECT)
  .action((paths: string[], options) => ingestCommand().ingest(paths, options, loadCliConfig()));

program
  .command('status')
  .description('per-stage document counts')
  .option('-p, --project <file>', 'project file', DEFAULT_PROJECT)
  .option('--json', 'machine-readable output', false)
  .action((options) => status(options, loadCliConfig()));

registerModelCommands(program, DEFAULT_PROJECT);
registerRunsCommand(program, DEFAULT_PROJECT);
registerModelsCommand(program, DEFAULT_PROJECT);
registerReportCommand(program, DEFAULT_PROJECT);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`crucible: ${error instanceof CrucibleError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
