/** `crucible models [--json]`: registered models, their aliases and latest verdicts. */
import { modelOverview, type ModelOverview } from '@crucible/registry';
import type { Command } from 'commander';
import { loadCliConfig } from '../config';
import { cliRegistryUrl, REGISTRY_HELP, withCliRegistry } from '../report/open-cli-registry';
import { formatModelsTable } from './models-table';

export interface ModelsOptions {
  readonly project: string;
  readonly registry?: string;
  readonly json: boolean;
}

export async function modelsOutput(options: ModelsOptions, registryUrl: string): Promise<string> {
  const models = await withCliRegistry<ModelOverview[]>(registryUrl, () => [], (registry) => modelOverview(registry));
  return options.json ? JSON.stringify(models, null, 2) : formatModelsTable(models);
}

export function registerModelsCommand(program: Command, defaultProject: string): void {
  program
    .command('models')
    .description('registered models: versions, champion and challenger, latest version and its verdicts')
    .option('-p, --project <file>', 'project file (its dataDir holds registry.db)', defaultProject)
    .option('--registry <url>', 'registry URL (overrides CRUCIBLE_REGISTRY_URL and the project)')
    .option('--json', 'machine-readable output', false)
    .addHelpText('after', REGISTRY_HELP)
    .action(async (options: ModelsOptions) => {
      process.stdout.write(`${await modelsOutput(options, cliRegistryUrl(options, loadCliConfig()))}\n`);
    });
}
