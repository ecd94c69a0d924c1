/**
 * Kubernetes Events on the custom resources (what `kubectl describe` shows). Repeated events
 * with the same reason and message bump `count` on the existing Event instead of creating a
 * new one, the way client-go's recorder aggregates. Failures to record are logged, never
 * thrown: an Event is a courtesy, not part of the reconcile.
 */
import { createHash } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import type { Logger } from '@crucible/service-kit';
import { statusOf } from './kube-api';

const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

export interface EventTarget {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; uid?: string };
}

export class EventRecorder {
  private readonly core: k8s.CoreV1Api;
  /** Counts of events this process recorded (client-go keeps the same cache). */
  private readonly counts = new Map<string, number>();

  constructor(
    kc: k8s.KubeConfig,
    private readonly component: string,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.core = kc.makeApiClient(k8s.CoreV1Api);
  }

  async record(target: EventTarget, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const { namespace, name: objName, uid } = target.metadata;
    const digest = createHash('sha256').update(`${uid ?? objName}/${type}/${reason}/${message}`).digest('hex').slice(0, 16);
    const name = `${objName}.${digest}`;
    const now = this.now();
    try {
      // Only create and patch (the verbs RBAC.md grants): a repeat is a merge patch of count and time.
      try {
        await this.core.createNamespacedEvent({
          namespace,
          body: {
            metadata: { name, namespace },
            involvedObject: { apiVersion: target.apiVersion, kind: target.kind, name: objName, namespace, ...(uid ? { uid } : {}) },
            type,
            reason,
            message,
            count: 1,
            firstTimestamp: now,
            lastTimestamp: now,
            source: { component: this.component },
            reportingComponent: this.component,
            reportingInstance: this.component,
          },
        });
        this.counts.set(name, 1);
        return;
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
      }
      const count = (this.counts.get(name) ?? 1) + 1;
      this.counts.set(name, count);
      await this.core.patchNamespacedEvent({ name, namespace, body: { count, lastTimestamp: now.toISOString() } }, mergePatch);
    } catch (err) {
      this.logger.warn({ err, reason, object: `${namespace}/${objName}` }, 'could not record event');
    }
  }
}
