/**
 * Safety-tests a model version once: load the artifact, run the suite, store the report
 * (registry kind `safety` + safety-report.json) and answer the `model.safety-tested` payload,
 * plus `model.approved` when the verdict passed. Idempotent per modelVersionId: a redelivered
 * `model.evaluated` finds the stored report (registry, else the artifact's file) and answers
 * the same verdict without running the suite again.
 */
import type { ModelApproved, ModelEvaluated, ModelSafetyTested } from '@crucible/contracts';
import { TextModel } from '@crucible/model-artifact';
import { parseModelReference, RegistryError } from '@crucible/registry';
import { LOGGER, type Logger, METRICS, type Metrics } from '@crucible/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SafetyError } from '../safety.errors';
import { SAFETY_OPTIONS, type SafetyOptions } from '../safety.options';
import { modelUnderTest } from '../suite/model-under-test';
import { runSafetySuite } from '../suite/run-suite';
import type { SuiteProgress } from '../suite/suite-result';
import { readSafetyReport, reportMetrics, SAFETY_REPORT_FILE, SAFETY_REPORT_FORMAT, type SafetyReport, writeSafetyReport } from './safety-report';
import { trainingDocuments } from './training-documents';

export interface SafetyOutcome {
  readonly tested: ModelSafetyTested;
  /** Set when the verdict passed. */
  readonly approved?: ModelApproved;
  /** True when a stored report answered (a redelivery). */
  readonly reused: boolean;
}

@Injectable()
export class SafetyTestService {
  private readonly outcomes;
  private readonly seconds;

  constructor(
    @Inject(SAFETY_OPTIONS) private readonly options: SafetyOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: Metrics,
  ) {
    this.outcomes = metrics.counter('crucible_safety_models_total', 'Model versions safety-tested, by outcome', ['outcome']);
    this.seconds = metrics.gauge('crucible_safety_last_seconds', 'Duration of the last safety test', []);
  }

  /** The registry's artifact path when it exists, else `<dataDir>/models/<model>/<n>`. */
  async artifactDir(versionId: string): Promise<{ model: string; dir: string }> {
    const ref = parseModelReference(versionId);
    if (ref.kind !== 'version') throw new RegistryError('invalid_reference', `'${versionId}' is not a version id (<model>@<n>)`);
    const version = await this.options.registry.models.getVersion(versionId);
    if (version && existsSync(version.artifactPath)) return { model: ref.model, dir: version.artifactPath };
    return { model: ref.model, dir: join(this.options.dataDir, 'models', ref.model, String(ref.n)) };
  }

  async test(evaluated: ModelEvaluated): Promise<SafetyOutcome> {
    const { registry } = this.options;
    const versionId = evaluated.modelVersionId;
    const { model, dir } = await this.artifactDir(versionId);
    const reportPath = join(dir, SAFETY_REPORT_FILE);

    const stored = await registry.reports.get(versionId, 'safety');
    const storedReport = stored?.report as SafetyReport | undefined;
    if (stored && storedReport?.format === SAFETY_REPORT_FORMAT) {
      this.outcomes.inc({ outcome: 'reused' });
      this.logger.info({ versionId, passed: stored.verdict.passed }, 'safety report already stored: answering the stored verdict');
      return this.answer(model, storedReport, existsSync(reportPath) ? reportPath : undefined, true);
    }
    const fromFile = readSafetyReport(dir, versionId);
    if (fromFile) {
      await registry.reports.save({ versionId, kind: 'safety', verdict: fromFile.verdict, metrics: reportMetrics(fromFile), report: fromFile });
      this.outcomes.inc({ outcome: 'reused' });
      return this.answer(model, fromFile, reportPath, true);
    }

    const report = await this.runSuite(versionId, model, dir);
    writeSafetyReport(dir, report);
    await registry.reports.save({ versionId, kind: 'safety', verdict: report.verdict, metrics: reportMetrics(report), report });
    this.outcomes.inc({ outcome: report.verdict.passed ? 'passed' : 'failed' });
    this.seconds.set(report.seconds);
    this.logger.info({ versionId, passed: report.verdict.passed, reasons: report.verdict.reasons, seconds: report.seconds }, 'model safety-tested');
    return this.answer(model, report, reportPath, false);
  }

  private answer(model: string, report: SafetyReport, reportPath: string | undefined, reused: boolean): SafetyOutcome {
    const tested: ModelSafetyTested = { modelVersionId: report.versionId, categories: report.categories, verdict: report.verdict, ...(reportPath && { reportPath }) };
    const approved = report.verdict.passed ? { modelVersionId: report.versionId, model, alias: this.options.config.approveAlias } : undefined;
    return { tested, ...(approved && { approved }), reused };
  }

  private async runSuite(versionId: string, model: string, dir: string): Promise<SafetyReport> {
    const { config, sets } = this.options;
    this.logger.info({ versionId, dir, suites: [...sets.map((s) => s.name), 'training-data-leakage'] }, 'safety-testing model');
    let loaded: TextModel;
    try {
      loaded = await TextModel.load(dir);
    } catch (error) {
      throw new SafetyError('artifact_unusable', `${versionId}: cannot load ${dir}: ${(error as Error).message}`);
    }
    try {
      const outcome = await runSafetySuite({
        model: modelUnderTest(loaded),
        sets,
        config,
        trainingData: config.trainingData.enabled ? trainingDocuments(loaded, config.trainingData.maxDocuments) : { documents: [] },
        onProgress: this.progressReporter(versionId),
        onSuite: (s) =>
          this.logger.info({ versionId, suite: s.name, category: s.category, probes: s.probes, failures: s.failures, seconds: s.seconds }, `suite ${s.name}: ${s.failures}/${s.probes} failed`),
      });
      return {
        format: SAFETY_REPORT_FORMAT,
        versionId,
        model,
        artifactPath: dir,
        testedAt: (this.options.clock?.() ?? new Date()).toISOString(),
        seconds: outcome.seconds,
        categories: outcome.categories,
        suites: outcome.suites,
        gate: config.gate,
        verdict: outcome.verdict,
      };
    } finally {
      await loaded.close();
    }
  }

  /** Logs progress at most every `progressIntervalMs`, and each suite's last batch. */
  private progressReporter(versionId: string): (p: SuiteProgress) => void {
    let last = 0;
    return (p) => {
      this.options.onProgress?.({ ...p, versionId });
      const now = Date.now();
      if (now - last < this.options.config.progressIntervalMs && p.done < p.total) return;
      last = now;
      this.logger.info({ versionId, suite: p.suite, done: p.done, total: p.total }, `safety ${p.suite} ${p.done}/${p.total}`);
    };
  }
}
