/**
 * Follows one dataset version through the model lifecycle as the registry records it:
 * training run → model version → evaluation report → safety report → champion alias. The
 * stages themselves run on the bus; this only watches and shows progress, so it works the
 * same whether the stages run in this process or in a cluster.
 */
import type { ModelVersion, Registry, Run, StoredReport } from '@crucible/registry';
import { setTimeout as sleep } from 'node:timers/promises';
import { bar, progressLine } from '../console/progress';

export type LifecycleOutcome =
  | { readonly kind: 'served'; readonly version: ModelVersion }
  | { readonly kind: 'rejected'; readonly version: ModelVersion; readonly stage: 'evaluation' | 'safety' | 'rollout'; readonly reasons: readonly string[] }
  | { readonly kind: 'failed'; readonly run: Run };

const POLL_MS = 500;

export interface LifecycleSignals {
  /** The reason a version's rollout was rolled back, if it was (the gateway announces it on the bus). */
  readonly rolledBack: (versionId: string) => string | undefined;
}

export async function followLifecycle(registry: Registry, datasetId: string, log: (line: string) => void, signals: LifecycleSignals): Promise<LifecycleOutcome> {
  const run = await trainingRun(registry, datasetId, log);
  if (run.status !== 'succeeded' || run.modelVersionId === null) return { kind: 'failed', run };
  const version = (await registry.models.getVersion(run.modelVersionId))!;
  const evaluation = await report(registry, version.id, 'evaluation', log);
  if (!evaluation.verdict.passed) return { kind: 'rejected', version, stage: 'evaluation', reasons: evaluation.verdict.reasons };
  const safety = await report(registry, version.id, 'safety', log);
  if (!safety.verdict.passed) return { kind: 'rejected', version, stage: 'safety', reasons: safety.verdict.reasons };
  return promotion(registry, version, signals);
}

/** The newest run on the dataset, followed to its end with a progress bar. */
async function trainingRun(registry: Registry, datasetId: string, log: (line: string) => void): Promise<Run> {
  const line = progressLine();
  for (;;) {
    const run = (await registry.runs.list({ limit: 50 })).find((r) => r.datasetId === datasetId);
    if (run === undefined) {
      line.update(`train    waiting for the training run of ${datasetId}`);
    } else if (run.status === 'queued') {
      line.update(`train    ${run.runId} queued`);
    } else if (run.status === 'running') {
      const last = (await registry.runs.progress(run.runId)).at(-1);
      const total = run.totalSteps ?? last?.totalSteps ?? 0;
      line.update(
        `train    ${bar(run.step, total)} loss ${fmt(run.lastLoss)}${run.lastValidationLoss !== null ? ` val ${fmt(run.lastValidationLoss)}` : ''}` +
          (last ? ` ${Math.round(last.tokensPerSecond).toLocaleString('en-US')} tok/s` : '') + (run.attempt > 1 ? ` (attempt ${run.attempt})` : ''),
      );
    } else {
      const outcome = run.status === 'succeeded' ? `model ${run.modelVersionId} — final loss ${fmt(run.finalLoss)}${run.lastValidationLoss !== null ? `, validation ${fmt(run.lastValidationLoss)}` : ''}` : `${run.status}: ${run.error ?? 'no reason recorded'}`;
      line.done(`train    ${run.runId} ${outcome}`);
      if (run.status === 'succeeded' && run.modelVersionId === null) log('train    the run succeeded but registered no version');
      return run;
    }
    await sleep(POLL_MS);
  }
}

async function report(registry: Registry, versionId: string, kind: 'evaluation' | 'safety', log: (line: string) => void): Promise<StoredReport> {
  const label = kind === 'evaluation' ? 'evaluate' : 'safety  ';
  for (;;) {
    const stored = await registry.reports.get(versionId, kind);
    if (stored !== undefined) {
      log(`${label} ${versionId} ${stored.verdict.passed ? 'passed' : 'FAILED'}: ${summary(stored)}`);
      for (const reason of stored.verdict.reasons.slice(0, 8)) log(`           ${reason}`);
      return stored;
    }
    await sleep(POLL_MS);
  }
}

/** Approval starts a rollout in the gateway; the version is served once it is the champion. */
async function promotion(registry: Registry, version: ModelVersion, signals: LifecycleSignals): Promise<LifecycleOutcome> {
  const line = progressLine();
  for (;;) {
    const aliases = await registry.models.aliases(version.model);
    if (aliases.champion === version.id) {
      line.done(`release  ${version.id} promoted to ${version.model}:champion`);
      return { kind: 'served', version };
    }
    const rolledBack = signals.rolledBack(version.id);
    if (rolledBack !== undefined) {
      line.done(`release  ${version.id} rolled back`);
      return { kind: 'rejected', version, stage: 'rollout', reasons: [rolledBack] };
    }
    line.update(`release  ${version.id} approved; rolling out`);
    await sleep(POLL_MS);
  }
}

const fmt = (n: number | null): string => (n === null ? '–' : n.toFixed(3));

function summary(stored: StoredReport): string {
  const pick = ['perplexity', 'bits_per_byte', 'bpb', 'probes', 'failures'];
  const shown = Object.entries(stored.metrics).filter(([k]) => pick.some((p) => k.includes(p))).slice(0, 4);
  return shown.length ? shown.map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(3)}`).join(', ') : `${Object.keys(stored.metrics).length} metrics`;
}
