/**
 * `crucible up`: runs every stage in one process on the embedded bus, feeds the project's
 * sources through it with visible progress, prints per-stage counts once the pipeline has
 * drained, and keeps serving (or exits, with `--exit-when-idle`).
 */
import { EmbeddedBus } from '@crucible/bus';
import { TOPICS } from '@crucible/contracts';
import { CleanDocumentsService, CLEANING_GROUP } from '@crucible/cleaning';
import { ingestPaths } from '@crucible/ingestion';
import { DatasetsService, TOKENIZATION_GROUP } from '@crucible/tokenization';
import { createLogger, stopOnSignals } from '@crucible/service-kit';
import type { EventBus } from '@crucible/bus';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { bar, progressLine } from '../console/progress';
import type { CliConfig } from '../config';
import { IngestLedger } from '../ingest/ingest-ledger';
import { openProjectBus } from '../project/open-project-bus';
import { loadProject } from '../project/project-file';
import { resolveSources } from '../project/resolve-sources';
import { formatTable, stageCounts } from '../status/stage-counts';
import { startEmbeddedApp } from './embedded-app';

export interface UpOptions {
  readonly project: string;
  readonly exitWhenIdle: boolean;
  readonly port?: number;
}

export async function up(options: UpOptions, config: CliConfig): Promise<void> {
  const loaded = loadProject(options.project);
  const project = options.port === undefined ? loaded : { ...loaded, http: { ...loaded.http, port: options.port } };
  const logger = createLogger('crucible', config.LOG_LEVEL);
  const { transport, bus } = await openProjectBus(project, { ...config, CRUCIBLE_BUS: 'embedded' }, logger);
  const log = (line: string) => process.stderr.write(`${line}\n`);

  log(`crucible: project '${project.name}', data in ${project.dataDir}`);
  const service = await startEmbeddedApp(project, bus, logger);
  log(`crucible: stages ingestion, cleaning, tokenization running at ${service.url}`);

  const ledger = new IngestLedger(join(project.dataDir, 'ingested-files.json'));
  const files = resolveSources(project);
  const pending = files.filter((file) => !ledger.isDone(file));
  if (pending.length > 0) {
    const progress = progressLine();
    const result = await ingestPaths(pending, bus, {
      onProgress: (done: number, total: number) => progress.update(`ingest   ${bar(done, total)}`),
    });
    progress.done(`ingest   ${bar(pending.length, pending.length)} accepted ${result.accepted}, refused ${result.rejected.length}`);
    for (const refused of result.rejected.slice(0, 10)) log(`  refused ${refused.path}: ${refused.reason}`);
    ledger.markDone(pending);
  } else {
    log(`crucible: all ${files.length} source files already ingested`);
  }

  const embedded = transport as EmbeddedBus;
  await waitForGroup(embedded, TOPICS.documentsIngested, CLEANING_GROUP, 'clean   ');
  await waitForGroup(embedded, TOPICS.documentsCleaned, TOKENIZATION_GROUP, 'dataset ');
  await sealDataset(project.dataset, service.app.get(DatasetsService), bus, log);
  const counts = await stageCounts(transport);
  log('\nPer-stage counts:');
  log(formatTable(counts));
  const filters = service.app.get(CleanDocumentsService).stats.snapshot();
  const removed = Object.entries(filters).filter(([, c]) => c && c.removed > 0);
  if (removed.length > 0) log(`  removed this run by filter: ${removed.map(([f, c]) => `${f} ${c!.removed}`).join(', ')}`);

  if (options.exitWhenIdle) {
    await service.stop();
    return;
  }
  log(`\nCrucible is up: POST documents to ${service.url}/v1/documents, metrics at ${service.url}/metrics. Ctrl+C stops.`);
  stopOnSignals(service, logger);
}

/** Waits until a stage's consumer group has committed everything on its input topic, showing progress. */
async function waitForGroup(transport: EmbeddedBus, topic: string, group: string, label: string): Promise<void> {
  const progress = progressLine();
  for (;;) {
    const { end, committed } = transport.lag(topic, group);
    progress.update(`${label} ${bar(committed, end)}`);
    if (committed >= end) {
      progress.done(`${label} ${bar(committed, end)}`);
      return;
    }
    await sleep(250);
  }
}

/**
 * Seals the project's dataset when it has documents that no version holds yet: trains its
 * tokenizer and packs token shards (through the bus, as any client would), then reports it.
 */
async function sealDataset(dataset: string, datasets: DatasetsService, bus: EventBus, log: (line: string) => void): Promise<void> {
  const summary = () => datasets.list().find((d) => d.name === dataset);
  const before = summary();
  if (!before || before.openDocuments === 0) {
    const latest = before?.versions.at(-1);
    if (latest) log(`dataset  ${latest.datasetId}: ${latest.documents} documents, ${latest.tokens} tokens (nothing new to seal)`);
    return;
  }
  await bus.emit(TOPICS.datasetSealRequested, { dataset, reason: 'crucible up' }, { key: dataset });
  const known = before.versions.length;
  for (;;) {
    const versions = summary()?.versions ?? [];
    if (versions.length > known) {
      const sealed = versions.at(-1)!;
      log(`\ndataset  ${sealed.datasetId} sealed: ${sealed.documents} documents, ${sealed.tokens} tokens`);
      return;
    }
    await sleep(250);
  }
}
