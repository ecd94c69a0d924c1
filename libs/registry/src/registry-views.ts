/**
 * Read models composed from the repositories, shared by the HTTP query API and the CLI so
 * both show the same thing: a model overview with its latest verdicts, and everything known
 * about one version (lineage, aliases, reports, the run and its loss curve).
 */
import type { Verdict } from '@crucible/contracts';
import type { Registry } from './open-registry';
import type { AliasChange, ModelSummary, ModelVersion, Run, RunProgress, StoredReport } from './registry.types';

export interface ModelOverview extends ModelSummary {
  /** Verdicts of the latest version's latest reports, when they exist. */
  readonly latestVerdicts: { readonly evaluation?: Verdict; readonly safety?: Verdict };
}

export interface VersionDetails {
  readonly version: ModelVersion;
  /** Every alias of the model (not only this version's), so a reader sees where it stands. */
  readonly modelAliases: Record<string, string>;
  /** The aliases pointing at this version. */
  readonly aliases: readonly string[];
  readonly reports: { readonly evaluation?: StoredReport; readonly safety?: StoredReport };
  readonly aliasHistory: readonly AliasChange[];
  readonly run: Run | undefined;
  readonly progress: readonly RunProgress[];
}

export async function modelOverview(registry: Registry): Promise<ModelOverview[]> {
  const models = await registry.models.listModels();
  return Promise.all(
    models.map(async (model) => {
      const [evaluation, safety] = model.latest
        ? await Promise.all([registry.reports.get(model.latest, 'evaluation'), registry.reports.get(model.latest, 'safety')])
        : [undefined, undefined];
      return {
        ...model,
        latestVerdicts: {
          ...(evaluation ? { evaluation: evaluation.verdict } : {}),
          ...(safety ? { safety: safety.verdict } : {}),
        },
      };
    }),
  );
}

/** Undefined when the reference resolves to nothing; throws `invalid_reference` on bad syntax. */
export async function versionDetails(registry: Registry, ref: string): Promise<VersionDetails | undefined> {
  const version = await registry.models.resolve(ref);
  if (!version) return undefined;
  const [modelAliases, evaluation, safety, aliasHistory, run, progress] = await Promise.all([
    registry.models.aliases(version.model),
    registry.reports.get(version.id, 'evaluation'),
    registry.reports.get(version.id, 'safety'),
    registry.models.aliasHistory(version.model),
    registry.runs.get(version.runId),
    registry.runs.progress(version.runId),
  ]);
  return {
    version,
    modelAliases,
    aliases: Object.entries(modelAliases)
      .filter(([, id]) => id === version.id)
      .map(([alias]) => alias),
    reports: { ...(evaluation ? { evaluation } : {}), ...(safety ? { safety } : {}) },
    aliasHistory: aliasHistory.filter((change) => change.toVersionId === version.id || change.fromVersionId === version.id),
    run,
    progress,
  };
}
