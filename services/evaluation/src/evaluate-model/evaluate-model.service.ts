/**
 * Evaluates a trained model version once: measure (held-out split + tasks), judge against the
 * thresholds and the champion, store the report (registry + eval-report.json), and answer the
 * `model.evaluated` payload. Idempotent per modelVersionId: a redelivered `model.trained` finds
 * the stored report (in the registry, else the artifact's file) and answers the same verdict
 * without recomputing.
 */
import { type ModelEvaluated, type ModelTrained } from '@crucible/contracts';
import { LOGGER, type Logger, METRICS, type Metrics } from '@crucible/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EVALUATION_OPTIONS, type EvaluationOptions } from '../evaluation.options';
import { decideVerdict } from '../gate/gate';
import { championBaseline } from './champion-baseline';
import { type EvaluationReport, REPORT_FILE, REPORT_FORMAT, readReportFile, writeReportFile } from './evaluation-report';
import { type EvaluationProgress, measureHeldOutOn, measureModel } from './model-evaluator';

export interface EvaluationOutcome {
  readonly evaluated: ModelEvaluated;
  /** True when a stored report answered (a redelivery), false when this call evaluated. */
  readonly reused: boolean;
}

@Injectable()
export class EvaluateModelService {
  private readonly outcomes;
  private readonly seconds;

  constructor(
    @Inject(EVALUATION_OPTIONS) private readonly options: EvaluationOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: Metrics,
  ) {
    this.outcomes = metrics.counter('crucible_evaluation_models_total', 'Model versions evaluated, by outcome', ['outcome']);
    this.seconds = metrics.gauge('crucible_evaluation_last_seconds', 'Duration of the last evaluation', []);
  }

  /** The artifact directory: the event's path when it exists, else `<dataDir>/models/<model>/<n>`. */
  artifactDir(trained: ModelTrained): string {
    if (existsSync(trained.artifactPath)) return trained.artifactPath;
    const n = trained.modelVersionId.slice(trained.modelVersionId.lastIndexOf('@') + 1);
    return join(this.options.dataDir, 'models', trained.model, n);
  }

  async evaluate(trained: ModelTrained): Promise<EvaluationOutcome> {
    const { registry } = this.options;
    const versionId = trained.modelVersionId;
    const dir = this.artifactDir(trained);
    const reportPath = join(dir, REPORT_FILE);

    const stored = await registry.reports.get(versionId, 'evaluation');
    if (stored) {
      this.outcomes.inc({ outcome: 'reused' });
      this.logger.info({ versionId, passed: stored.verdict.passed }, 'evaluation already stored: answering the stored verdict');
      return { evaluated: { modelVersionId: versionId, metrics: stored.metrics, verdict: stored.verdict, ...(existsSync(reportPath) && { reportPath }) }, reused: true };
    }
    const fromFile = readReportFile(dir, versionId);
    if (fromFile) {
      await registry.reports.save({ versionId, kind: 'evaluation', verdict: fromFile.verdict, metrics: fromFile.metrics, report: fromFile });
      this.outcomes.inc({ outcome: 'reused' });
      return { evaluated: { modelVersionId: versionId, metrics: fromFile.metrics, verdict: fromFile.verdict, reportPath }, reused: true };
    }

    const report = await this.measureAndJudge(trained, dir);
    writeReportFile(dir, report);
    await registry.reports.save({ versionId, kind: 'evaluation', verdict: report.verdict, metrics: report.metrics, report });
    this.outcomes.inc({ outcome: report.verdict.passed ? 'passed' : 'failed' });
    this.seconds.set(report.seconds);
    this.logger.info({ versionId, passed: report.verdict.passed, reasons: report.verdict.reasons, metrics: report.metrics, seconds: report.seconds }, 'model evaluated');
    return { evaluated: { modelVersionId: versionId, metrics: report.metrics, verdict: report.verdict, reportPath }, reused: false };
  }

  private async measureAndJudge(trained: ModelTrained, dir: string): Promise<EvaluationReport> {
    const { config, tasks, registry } = this.options;
    this.logger.info({ versionId: trained.modelVersionId, dir, tasks: tasks.map((t) => t.name) }, 'evaluating model');
    const progress = this.progressReporter();
    const measured = await measureModel(dir, tasks, config, progress);
    const remeasure = config.gate.remeasureChampion ? (artifact: string, manifest: string) => measureHeldOutOn(artifact, manifest, config, progress) : undefined;
    const challenger = { versionId: trained.modelVersionId, tokenizerId: measured.tokenizerId, datasetId: measured.datasetId, manifestPath: measured.manifestPath };
    const champion = await championBaseline(registry, trained.model, config.gate.championAlias, challenger, remeasure);
    const verdict = decideVerdict(measured.metrics, config.gate, champion);
    return {
      format: REPORT_FORMAT,
      versionId: trained.modelVersionId,
      model: trained.model,
      artifactPath: dir,
      evaluatedAt: (this.options.clock?.() ?? new Date()).toISOString(),
      seconds: measured.seconds,
      metrics: measured.metrics,
      heldOut: measured.heldOut,
      tasks: measured.tasks,
      champion: champion ? { versionId: champion.versionId, metrics: { ...champion.metrics }, ...(champion.note && { note: champion.note }) } : null,
      gate: config.gate,
      verdict,
    };
  }

  /** Logs progress at most every `progressIntervalMs` (and forwards every update to the host). */
  private progressReporter(): (p: EvaluationProgress) => void {
    let last = 0;
    return (p) => {
      this.options.onProgress?.(p);
      const now = Date.now();
      const finished = p.phase === 'held-out' ? p.windows === p.totalWindows : p.phase === 'task' && p.examples === p.totalExamples;
      if (now - last < this.options.config.progressIntervalMs && !finished) return;
      last = now;
      if (p.phase === 'load') this.logger.info({ versionId: p.versionId }, 'model loaded');
      else if (p.phase === 'held-out') this.logger.info({ versionId: p.versionId, windows: p.windows, totalWindows: p.totalWindows }, `held-out perplexity ${p.windows}/${p.totalWindows} windows`);
      else this.logger.info({ versionId: p.versionId, task: p.task, examples: p.examples, total: p.totalExamples }, `task ${p.task} ${p.examples}/${p.totalExamples} examples`);
    };
  }
}
