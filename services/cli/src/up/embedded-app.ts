/**
 * The all-in-one application of `crucible up`: every stage's Nest module in one process,
 * on one embedded bus, behind one HTTP server. The same modules run as separate services
 * in production; only the composition differs.
 */
import { type EventBus } from '@crucible/bus';
import { CleaningModule, openCleaning } from '@crucible/cleaning';
import { IngestionModule } from '@crucible/ingestion';
import { type SealProgress, TokenizationModule, openTokenization } from '@crucible/tokenization';
import { bar, progressLine } from '../console/progress';
import { Metrics, PlatformModule, type Logger, runService, type RunningService } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import { join } from 'node:path';
import type { Project } from '../project/project-file';

function showSealProgress(): (progress: SealProgress) => void {
  const line = progressLine();
  return (p) => {
    if (p.phase === 'encode') line.update(`encode   ${bar(p.documents, p.totalDocuments)} ${p.tokens} tokens`);
    else if (p.train.phase === 'merge') line.update(`tokenizer ${bar(p.train.vocab, p.train.target)} vocabulary`);
    else line.update('tokenizer counting pre-tokens');
  };
}

export async function startEmbeddedApp(project: Project, bus: EventBus, logger: Logger): Promise<RunningService> {
  const tokenization = openTokenization({
    dataDir: project.dataDir,
    config: { ...project.tokenization, dataset: project.dataset },
    onProgress: showSealProgress(),
  });
  const cleaning = openCleaning({ config: project.cleaning, dedupIndexPath: join(project.dataDir, 'cleaning', 'dedup.sqlite') });
  @Module({
    imports: [
      PlatformModule.forRoot({ config: project, logger, bus, metrics: new Metrics('crucible') }),
      IngestionModule,
      CleaningModule.forRoot(cleaning),
      TokenizationModule.forRoot(tokenization),
    ],
  })
  class EmbeddedApp {}
  return runService({ module: EmbeddedApp, bus, logger, host: project.http.host, port: project.http.port, bodyParser: false });
}
