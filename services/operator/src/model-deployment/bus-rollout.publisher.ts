/**
 * Publishes a ModelDeployment's rollout history to the rollout topics: `started` →
 * rollout.started, `promoted` → rollout.promoted, `rolled-back` → rollout.rolled-back
 * (weight changes stay in status and Events). Keyed by model so one model's events stay in
 * order; the id is the history entry's, so a re-send after a crash carries the same id.
 */
import type { EventBus } from '@crucible/bus';
import { TOPICS } from '@crucible/contracts';
import type { ModelDeployment, RolloutHistoryEntry } from '@crucible/crds';
import type { RolloutPublisher } from './rollout-ports';

export class BusRolloutPublisher implements RolloutPublisher {
  constructor(private readonly bus: EventBus) {}

  async publish(md: ModelDeployment, entry: RolloutHistoryEntry, id: string): Promise<void> {
    if (!entry.canaryVersionId) return;
    const base = {
      deployment: md.metadata.name,
      model: md.spec.model,
      ...(entry.stableVersionId ? { stableVersionId: entry.stableVersionId } : {}),
      canaryVersionId: entry.canaryVersionId,
    };
    const options = { key: md.spec.model, id, lineage: { modelVersionId: entry.canaryVersionId } };
    switch (entry.type) {
      case 'started':
        await this.bus.emit(TOPICS.rolloutStarted, { ...base, canaryWeight: entry.canaryWeight }, options);
        return;
      case 'promoted':
        await this.bus.emit(TOPICS.rolloutPromoted, base, options);
        return;
      case 'rolled-back':
        await this.bus.emit(TOPICS.rolloutRolledBack, { ...base, reason: entry.reason ?? 'rolled back' }, options);
        return;
      default:
        return;
    }
  }
}
