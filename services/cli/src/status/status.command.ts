/** `crucible status`: per-stage counts of a project, read from its bus (embedded or Kafka). */
import { createLogger } from '@crucible/service-kit';
import type { CliConfig } from '../config';
import { openProjectBus } from '../project/open-project-bus';
import { loadProject } from '../project/project-file';
import { formatTable, stageCounts } from './stage-counts';

export async function status(options: { project: string; json: boolean }, config: CliConfig): Promise<void> {
  const project = loadProject(options.project);
  const { transport } = await openProjectBus(project, config, createLogger('crucible', config.LOG_LEVEL));
  try {
    const counts = await stageCounts(transport);
    process.stdout.write(options.json ? `${JSON.stringify(counts)}\n` : `Project '${project.name}' (${transport.kind} bus)\n${formatTable(counts)}\n`);
  } finally {
    await transport.close();
  }
}
