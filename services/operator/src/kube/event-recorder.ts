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

export interface EventTarget {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; uid?: string };
}

export class EventRecorder {
  private readonly core: k8s.CoreV1Api;

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
      try {
        const existing = await this.core.readNamespacedEvent({ name, namespace });
        existing.count = (existing.count ?? 1) + 1;
        existing.lastTimestamp = now;
        await this.core.replaceNamespacedEvent({ name, namespace, body: existing });
        return;
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
      }
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
    } catch (err) {
      this.logger.warn({ err, reason, object: `${namespace}/${objName}` }, 'could not record event');
    }
  }
}
