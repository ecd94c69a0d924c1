/** `crucible ingest <paths…>`: sends files and folders to the project's bus; a running `crucible up` picks them up. */
import { ingestPaths } from '@crucible/ingestion';
import { createLogger } from '@crucible/service-kit';
import type { CliConfig } from '../config';
import { bar, progressLine } from '../console/progress';
import { openProjectBus } from '../project/open-project-bus';
import { loadProject } from '../project/project-file';

export async function ingest(paths: string[], options: { project: string }, config: CliConfig): Promise<void> {
  const project = loadProject(options.project);
  const { transport, bus } = await openProjectBus(project, config, createLogger('crucible', config.LOG_LEVEL));
  try {
    const progress = progressLine();
    const result = await ingestPaths(paths, bus, { onProgress: (done: number, total: number) => progress.update(`ingest ${bar(done, total)}`) });
    progress.done(`ingested ${result.accepted} document(s); refused ${result.rejected.length}`);
    for (const refused of result.rejected) process.stderr.write(`  refused ${refused.path}: ${refused.reason}\n`);
    if (result.rejected.length > 0) process.exitCode = 1;
  } finally {
    await transport.close();
  }
}
