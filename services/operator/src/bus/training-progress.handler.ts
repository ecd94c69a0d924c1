/**
 * Training topics → TrainingRun status (optional; only with a bus): the trainer in the pod
 * publishes `training.progressed` / `training.checkpointed`, and the training service
 * `model.trained`; this writes progress, the last checkpoint and the model version into the
 * run found by its `crucible.dev/run-id` label. Older steps never overwrite newer ones
 * (delivery is at-least-once and may repeat).
 */
import { TRAINING_RUN, type TrainingRun } from '@crucible/crds';
import type { ModelTrained, TrainingCheckpointed, TrainingProgressed } from '@crucible/contracts';
import type { KubeApi } from '../kube/kube-api';
import { RUN_ID_LABEL, labelValue } from '../training-run/labels';

export class TrainingProgressHandler {
  constructor(
    private readonly api: KubeApi,
    private readonly namespaces: readonly string[],
  ) {}

  private async find(runId: string): Promise<TrainingRun | undefined> {
    const labelSelector = `${RUN_ID_LABEL}=${labelValue(runId)}`;
    const scopes = this.namespaces.length ? this.namespaces : [undefined];
    for (const namespace of scopes) {
      const list = (await (namespace
        ? this.api.custom.listNamespacedCustomObject({ group: 'crucible.dev', version: 'v1alpha1', namespace, plural: TRAINING_RUN.plural, labelSelector })
        : this.api.custom.listClusterCustomObject({ group: 'crucible.dev', version: 'v1alpha1', plural: TRAINING_RUN.plural, labelSelector }))) as { items: TrainingRun[] };
      const run = list.items.find((r) => (r.spec.runId ?? r.metadata.name) === runId);
      if (run) return run;
    }
    return undefined;
  }

  async progressed(p: TrainingProgressed): Promise<void> {
    const run = await this.find(p.runId);
    if (!run || (run.status?.progress?.step ?? -1) > p.step) return;
    await this.api.patchCustomStatus(TRAINING_RUN.plural, run.metadata.namespace, run.metadata.name, {
      progress: { step: p.step, totalSteps: p.totalSteps, loss: p.loss },
    });
  }

  async checkpointed(c: TrainingCheckpointed): Promise<void> {
    const run = await this.find(c.runId);
    if (!run || (run.status?.lastCheckpoint?.step ?? -1) > c.step) return;
    await this.api.patchCustomStatus(TRAINING_RUN.plural, run.metadata.namespace, run.metadata.name, {
      lastCheckpoint: { step: c.step, path: c.path, sha256: c.sha256 },
    });
  }

  async trained(t: ModelTrained): Promise<void> {
    const run = await this.find(t.runId);
    if (!run || run.status?.modelVersionId === t.modelVersionId) return;
    await this.api.patchCustomStatus(TRAINING_RUN.plural, run.metadata.namespace, run.metadata.name, { modelVersionId: t.modelVersionId });
  }
}
