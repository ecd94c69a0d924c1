/**
 * `model.approved` → a rollout: the ModelDeployment of the model gets the approved version
 * as its canary (or is created for the model's first version, which the reconciler then
 * promotes at once). Idempotent: a version already stable, already the canary, or already
 * rolled back is left alone, so a redelivered event changes nothing.
 */
import { MODEL_DEPLOYMENT, type ModelDeployment, type ModelDeploymentSpec } from '@crucible/crds';
import type { ModelApproved } from '@crucible/contracts';
import type { Logger } from '@crucible/service-kit';
import type { KubeApi } from '../kube/kube-api';
import { MANAGED_BY, dnsName, labelValue } from '../training-run/labels';

export const MODEL_LABEL = 'crucible.dev/model';

export interface ModelApprovedOptions {
  api: KubeApi;
  namespace: string;
  /** Template of ModelDeployments created for a model's first version. */
  template: Omit<ModelDeploymentSpec, 'model' | 'stableVersionId' | 'canaryVersionId'>;
  logger: Logger;
}

export class ModelApprovedHandler {
  constructor(private readonly o: ModelApprovedOptions) {}

  async handle(event: ModelApproved): Promise<'created' | 'canary-set' | 'unchanged'> {
    const { api, namespace } = this.o;
    const list = (await api.custom.listNamespacedCustomObject({
      group: 'crucible.dev',
      version: 'v1alpha1',
      namespace,
      plural: MODEL_DEPLOYMENT.plural,
    })) as { items: ModelDeployment[] };
    const md = list.items.find((m) => m.spec.model === event.model);
    if (!md) {
      await api.custom.createNamespacedCustomObject({
        group: 'crucible.dev',
        version: 'v1alpha1',
        namespace,
        plural: MODEL_DEPLOYMENT.plural,
        body: {
          apiVersion: 'crucible.dev/v1alpha1',
          kind: 'ModelDeployment',
          metadata: { name: dnsName(event.model), labels: { ...MANAGED_BY, [MODEL_LABEL]: labelValue(event.model) } },
          spec: { model: event.model, canaryVersionId: event.modelVersionId, ...this.o.template },
        },
      });
      this.o.logger.info({ model: event.model, version: event.modelVersionId }, 'ModelDeployment created for the first approved version');
      return 'created';
    }
    const judged = md.status?.canaryVersionId === event.modelVersionId && md.status.phase !== 'Progressing';
    if (md.spec.stableVersionId === event.modelVersionId || md.spec.canaryVersionId === event.modelVersionId || judged) return 'unchanged';
    await api.patchCustom(MODEL_DEPLOYMENT.plural, namespace, md.metadata.name, { spec: { canaryVersionId: event.modelVersionId } });
    this.o.logger.info({ model: event.model, version: event.modelVersionId, deployment: md.metadata.name }, 'canary set from model.approved');
    return 'canary-set';
  }
}
