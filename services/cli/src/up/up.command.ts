/**
 * `crucible up`: runs every stage in one process on the embedded bus, feeds the project's
 * sources through it with visible progress, seals the dataset, follows the model trained on
 * it through evaluation, safety testing and release, and ends with the model answering on the
 * gateway — printing a curl and an openai-client call that work (or, with `--exit-when-idle`,
 * exits once the lifecycle has settled).
 */
import { EmbeddedBus } from '@crucible/bus';
import { TOPICS, parseEvent } from '@crucible/contracts';
import { openRegistry, registryUrlFrom, type Registry } from '@crucible/registry';
import { ServingSettingsSchema } from '@crucible/serving';
import { parseTrainingSettings } from '@crucible/training';
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
import { followLifecycle, type LifecycleOutcome } from './lifecycle-watch';
import { quickstartKey } from './quickstart-key';
import { servingExamples } from './serving-examples';

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
  const registry = await openRegistry(registryUrlFrom(process.env, project.dataDir));
  const service = await startEmbeddedApp(project, bus, logger, registry);
  const stop = async () => {
    await service.stop();
    await registry.close();
  };
  log(`crucible: ingestion, cleaning, tokenization, training, evaluation, safety and the gateway running at ${service.url}`);

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
  const datasets = service.app.get(DatasetsService);
  await sealDataset(project.dataset, datasets, bus, log);
  const counts = await stageCounts(transport);
  log('\nPer-stage counts:');
  log(formatTable(counts));
  const filters = service.app.get(CleanDocumentsService).stats.snapshot();
  const removed = Object.entries(filters).filter(([, c]) => c && c.removed > 0);
  if (removed.length > 0) log(`  removed this run by filter: ${removed.map(([f, c]) => `${f} ${c!.removed}`).join(', ')}`);

  const latest = datasets.list().find((d) => d.name === project.dataset)?.versions.at(-1);
  if (latest) {
    log(`\nModel lifecycle of ${latest.datasetId}:`);
    const outcome = await followLifecycle(registry, latest.datasetId, log, { rolledBack: rollbackReader(embedded) });
    await reportOutcome(outcome, registry, project, service.url, log);
  }

  if (options.exitWhenIdle) {
    await stop();
    return;
  }
  log(`\nCrucible is up at ${service.url}: POST documents to /v1/documents (new data retrains), OpenAI API under /v1, metrics at /metrics. Ctrl+C stops.`);
  stopOnSignals({ stop }, logger);
}

/** What the lifecycle ended in, and how to call whichever model is now the champion. */
async function reportOutcome(outcome: LifecycleOutcome, registry: Registry, project: ReturnType<typeof loadProject>, url: string, log: (line: string) => void): Promise<void> {
  if (outcome.kind === 'failed') log(`\nTraining run ${outcome.run.runId} ${outcome.run.status}: ${outcome.run.error ?? ''}`);
  if (outcome.kind === 'rejected') {
    log(`\n${outcome.version.id} was not released: its ${outcome.stage} gate failed.`);
    for (const reason of outcome.reasons) log(`  ${reason}`);
  }
  const model = parseTrainingSettings(project.training).retrain.model ?? project.dataset;
  const champion = await registry.models.resolve(`${model}:champion`);
  if (!champion) {
    log('\nNo model is served yet.');
    return;
  }
  const settings = ServingSettingsSchema.parse(project.serving);
  const key = settings.auth === 'on' ? quickstartKey(project.dataDir, settings) : undefined;
  log(`\n${champion.id} is serving as '${model}' (the ${model}:champion alias). Try it:\n`);
  log(servingExamples(url, model, key));
}

/** The reason the gateway rolled a version back, read from its rollout.rolled-back events. */
function rollbackReader(transport: EmbeddedBus): (versionId: string) => string | undefined {
  return (versionId) => {
    for (const record of transport.read(TOPICS.rolloutRolledBack)) {
      const event = parseEvent(TOPICS.rolloutRolledBack, record.value);
      if (event.payload.canaryVersionId === versionId) return event.payload.reason;
    }
    return undefined;
  };
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
