/**
 * The champion a new version is compared with: its registered version and stored evaluation.
 * When the challenger was trained on another dataset version (same tokenizer), the champion's
 * stored held-out numbers come from a different validation split; they are then re-measured on
 * the challenger's split, so both are scored on the same text.
 */
import type { Registry } from '@crucible/registry';
import type { ChampionBaseline } from '../gate/gate';
import type { HeldOutSection } from './evaluation-report';

export interface Challenger {
  readonly versionId: string;
  readonly tokenizerId: string;
  readonly datasetId: string;
  readonly manifestPath: string | undefined;
}

/** Measures a version's held-out split on another manifest; injected so the gate logic stays testable. */
export type HeldOutMeasure = (artifactPath: string, manifestPath: string) => Promise<HeldOutSection>;

export async function championBaseline(
  registry: Registry,
  model: string,
  alias: string,
  challenger: Challenger,
  remeasure: HeldOutMeasure | undefined,
): Promise<ChampionBaseline | undefined> {
  const champion = await registry.models.resolve(`${model}:${alias}`);
  // Re-evaluating the champion itself compares with nothing.
  if (!champion || champion.id === challenger.versionId) return undefined;
  const report = await registry.reports.get(champion.id, 'evaluation');
  const sameTokenizer = champion.tokenizerId === challenger.tokenizerId;
  const baseline = { versionId: champion.id, metrics: report?.metrics ?? {}, sameTokenizer };
  if (!remeasure || champion.datasetId === challenger.datasetId || !sameTokenizer || !challenger.manifestPath) return baseline;
  const held = await remeasure(champion.artifactPath, challenger.manifestPath);
  if ('skipped' in held) {
    return { ...baseline, note: `champion ${champion.id} not re-measured on ${challenger.datasetId} (${held.skipped}): its stored ${champion.datasetId} numbers are used` };
  }
  return {
    ...baseline,
    metrics: { ...baseline.metrics, perplexity: held.perplexity, bitsPerByte: held.bitsPerByte },
    note: `champion ${champion.id} (trained on ${champion.datasetId}) re-measured on the held-out split of ${challenger.datasetId}`,
  };
}
