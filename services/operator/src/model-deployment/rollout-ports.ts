/**
 * What the ModelDeployment reconciler needs from outside Kubernetes: quality verdicts per
 * version (from model.evaluated / model.safety-tested) and a place to publish rollout events
 * (the rollout.* topics). Both are interfaces so unit tests and the bus-less mode plug in.
 */
import type { ModelDeployment, RolloutHistoryEntry } from '@crucible/crds';

export interface Verdicts {
  evaluation?: boolean;
  safety?: boolean;
}

export interface VerdictSource {
  verdictsFor(versionId: string): Verdicts | undefined;
}

/** Remembers the latest verdict per version, fed by the bus consumer. */
export class VerdictStore implements VerdictSource {
  private readonly byVersion = new Map<string, Verdicts>();

  record(versionId: string, gate: keyof Verdicts, passed: boolean): void {
    this.byVersion.set(versionId, { ...this.byVersion.get(versionId), [gate]: passed });
  }

  verdictsFor(versionId: string): Verdicts | undefined {
    return this.byVersion.get(versionId);
  }
}

export interface RolloutPublisher {
  /** Publishes one history entry; `id` is stable for the entry, so a re-send is recognisable. */
  publish(md: ModelDeployment, entry: RolloutHistoryEntry, id: string): Promise<void>;
}
