/**
 * Fills a registry through its public API with a small, realistic history: three trained
 * `sotu` versions with progress and reports, a champion and a challenger, one failed run and
 * one still running. Renderers and HTTP tests read it back.
 */
import type { Registry } from '../open-registry';
import { evaluationReport, progressAt, safetyReport, versionInput } from './fixtures';

export interface SeededRegistry {
  readonly model: string;
  readonly versions: readonly string[];
  readonly champion: string;
  readonly challenger: string;
  readonly runs: { readonly succeeded: readonly string[]; readonly failed: string; readonly running: string };
}

const TOTAL_STEPS = 40;

export async function seedRegistry(registry: Registry, model = 'sotu'): Promise<SeededRegistry> {
  const succeeded = ['run-1', 'run-2', 'run-3'];
  const versions: string[] = [];
  for (const runId of succeeded) {
    await registry.runs.create({ runId, model, datasetId: 'ds-sotu', request: { runId, datasetId: 'ds-sotu', preset: 'tiny' } });
    await registry.runs.update(runId, { status: 'running' });
    for (let step = 0; step <= TOTAL_STEPS; step += 5) await registry.runs.appendProgress(runId, progressAt(runId, step, TOTAL_STEPS));
    const { id, n } = await registry.models.nextVersion(model, runId);
    await registry.models.registerVersion(versionInput(model, runId, { artifactPath: `/data/models/${model}/${n}` }));
    await registry.runs.update(runId, { status: 'succeeded', finalLoss: 2, modelVersionId: id, step: TOTAL_STEPS });
    versions.push(id);
  }
  const [first = '', second = '', third = ''] = versions;
  await registry.reports.save(evaluationReport(second, true));
  await registry.reports.save(safetyReport(second, true));
  await registry.reports.save(evaluationReport(third, true));
  await registry.reports.save(safetyReport(third, false));
  await registry.models.setAlias(model, 'champion', first, { by: 'serving-gateway', reason: 'first approved version' });
  await registry.models.setAlias(model, 'champion', second, { by: 'serving-gateway', reason: 'canary promoted' });
  await registry.models.setAlias(model, 'challenger', third, { by: 'serving-gateway', reason: 'canary started' });

  await registry.runs.create({ runId: 'run-4', model, datasetId: 'ds-sotu', request: { runId: 'run-4', datasetId: 'ds-sotu' } });
  await registry.runs.update('run-4', { status: 'running' });
  await registry.runs.appendProgress('run-4', progressAt('run-4', 5, TOTAL_STEPS, { loss: 5.5 }));
  await registry.runs.update('run-4', { status: 'failed', error: 'loss diverged at step 5 (NaN)' });

  await registry.runs.create({ runId: 'run-5', model, datasetId: 'ds-sotu', request: { runId: 'run-5', datasetId: 'ds-sotu' } });
  await registry.runs.update('run-5', { status: 'running' });
  await registry.runs.appendProgress('run-5', progressAt('run-5', 10, TOTAL_STEPS));

  return { model, versions, champion: second, challenger: third, runs: { succeeded, failed: 'run-4', running: 'run-5' } };
}
