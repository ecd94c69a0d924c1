/**
 * The all-in-one application of `crucible up`: every stage's Nest module in one process,
 * on one embedded bus, behind one HTTP server. The same modules run as separate services
 * in production; only the composition differs.
 */
import { type EventBus } from '@crucible/bus';
import { CleaningModule, openCleaning } from '@crucible/cleaning';
import { EvaluationModule, type EvaluationProgress, openEvaluation } from '@crucible/evaluation';
import { IngestionModule } from '@crucible/ingestion';
import type { Registry } from '@crucible/registry';
import { SafetyModule, openSafety } from '@crucible/safety';
import { ServingModule, openServing } from '@crucible/serving';
import { type SealProgress, TokenizationModule, openTokenization } from '@crucible/tokenization';
import { TrainingModule, openTraining } from '@crucible/training';
import { bar, progressLine } from '../console/progress';
import { Metrics, PlatformModule, type Logger, RegistryQueryModule, runService, type RunningService } from '@crucible/service-kit';
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

function showEvaluationProgress(): (progress: EvaluationProgress) => void {
  const line = progressLine();
  return (p) => {
    if (p.phase === 'load') line.update(`evaluate ${p.versionId}: loading`);
    else if (p.phase === 'held-out') line.update(`evaluate ${p.versionId}: held-out ${bar(p.windows, p.totalWindows)} windows`);
    else line.update(`evaluate ${p.versionId}: ${p.task} ${bar(p.examples, p.totalExamples)}`);
  };
}

function showSafetyProgress(): (progress: { suite: string; done: number; total: number; versionId: string }) => void {
  const line = progressLine();
  return (p) => line.update(`safety   ${p.versionId}: ${p.suite} ${bar(p.done, p.total)}`);
}

export async function startEmbeddedApp(project: Project, bus: EventBus, logger: Logger, registry: Registry): Promise<RunningService> {
  const { dataDir } = project;
  const tokenization = openTokenization({ dataDir, config: { ...project.tokenization, dataset: project.dataset }, onProgress: showSealProgress() });
  const cleaning = openCleaning({ config: project.cleaning, dedupIndexPath: join(dataDir, 'cleaning', 'dedup.sqlite') });
  const training = openTraining({ dataDir, registry, config: project.training });
  const evaluation = openEvaluation({ dataDir, registry, config: project.evaluation, onProgress: showEvaluationProgress() });
  const safety = openSafety({ dataDir, registry, config: project.safety, onProgress: showSafetyProgress() });
  const serving = openServing({ dataDir, registry, settings: project.serving });
  @Module({
    imports: [
      PlatformModule.forRoot({ config: project, logger, bus, metrics: new Metrics('crucible') }),
      IngestionModule,
      CleaningModule.forRoot(cleaning),
      TokenizationModule.forRoot(tokenization),
      TrainingModule.forRoot(training),
      EvaluationModule.forRoot(evaluation),
      SafetyModule.forRoot(safety),
      ServingModule.forRoot(serving),
      RegistryQueryModule.forRoot(registry),
    ],
  })
  class EmbeddedApp {}
  return runService({ module: EmbeddedApp, bus, logger, host: project.http.host, port: project.http.port, bodyParser: false });
}
