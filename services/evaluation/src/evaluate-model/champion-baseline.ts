/** The champion a new version is compared with: its registered version and stored evaluation. */
import type { Registry } from '@crucible/registry';
import type { ChampionBaseline } from '../gate/gate';

export async function championBaseline(registry: Registry, model: string, alias: string, versionId: string, tokenizerId: string): Promise<ChampionBaseline | undefined> {
  const champion = await registry.models.resolve(`${model}:${alias}`);
  // Re-evaluating the champion itself compares with nothing.
  if (!champion || champion.id === versionId) return undefined;
  const report = await registry.reports.get(champion.id, 'evaluation');
  return { versionId: champion.id, metrics: report?.metrics ?? {}, sameTokenizer: champion.tokenizerId === tokenizerId };
}
