/** `crucible report <ref> [--html <file>]`: the evaluation and safety report of a model version. */
import { redactRegistryUrl, RegistryError } from '@crucible/registry';
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCliConfig } from '../config';
import { renderHtmlReport } from './html-report';
import { cliRegistryUrl, REGISTRY_HELP, withCliRegistry } from './open-cli-registry';
import { collectReport, type ReportData } from './report-data';
import { renderTerminalReport } from './terminal-report';

export interface ReportOptions {
  readonly project: string;
  readonly registry?: string;
  readonly html?: string;
}

/** Writes the HTML file when asked and returns the terminal text; throws when the ref resolves to nothing. */
export async function reportOutput(ref: string, options: ReportOptions, registryUrl: string, now = new Date()): Promise<string> {
  const data = await withCliRegistry<ReportData | undefined>(registryUrl, () => undefined, (registry) => collectReport(registry, ref, now));
  if (!data) throw new RegistryError('unknown_model_version', `no model version matches '${ref}' in ${redactRegistryUrl(registryUrl)}`);
  const text = renderTerminalReport(data);
  if (!options.html) return text;
  const path = resolve(options.html);
  writeFileSync(path, renderHtmlReport(data));
  return `${text}\n\nHTML report written to ${path}`;
}

export function registerReportCommand(program: Command, defaultProject: string): void {
  program
    .command('report')
    .description('evaluation and safety report of a model version: sotu@3, sotu:challenger, or sotu (= champion)')
    .argument('<ref>', 'model reference')
    .option('--html <file>', 'also write a self-contained HTML report (loss curve, metric charts, safety table, lineage)')
    .option('-p, --project <file>', 'project file (its dataDir holds registry.db)', defaultProject)
    .option('--registry <url>', 'registry URL (overrides CRUCIBLE_REGISTRY_URL and the project)')
    .addHelpText('after', REGISTRY_HELP)
    .action(async (ref: string, options: ReportOptions) => {
      process.stdout.write(`${await reportOutput(ref, options, cliRegistryUrl(options, loadCliConfig()))}\n`);
    });
}
