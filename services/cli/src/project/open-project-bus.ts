/**
 * The bus a CLI command talks to: the project's embedded log by default, or Kafka when
 * `CRUCIBLE_BUS=kafka`, so `crucible ingest` and `crucible status` work against both.
 */
import { type Bus, EmbeddedBus, EventBus } from '@crucible/bus';
import { ALL_TOPICS } from '@crucible/contracts';
import { createBus, type Logger } from '@crucible/service-kit';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CliConfig } from '../config';
import type { Project } from './project-file';

export async function openProjectBus(project: Project, config: CliConfig, logger: Logger): Promise<{ transport: Bus; bus: EventBus }> {
  let transport: Bus;
  if (config.CRUCIBLE_BUS === 'kafka') {
    transport = createBus(config, logger);
  } else {
    mkdirSync(project.dataDir, { recursive: true });
    transport = new EmbeddedBus({ path: join(project.dataDir, 'bus.sqlite'), idlePollMs: 200 });
  }
  await transport.ensureTopics(ALL_TOPICS);
  return { transport, bus: new EventBus(transport, 'crucible/cli') };
}
