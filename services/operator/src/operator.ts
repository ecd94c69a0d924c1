/**
 * The operator process: leader election first; only the leader starts the informers, the
 * work queues and the periodic resync, so a standby replica does nothing until it wins the
 * Lease. Informers only *trigger* reconciles (keys into the queues): reconcilers re-read the
 * objects, and every `resyncMs` every known resource is reconciled again anyway.
 */
import * as k8s from '@kubernetes/client-node';
import { GROUP, MODEL_DEPLOYMENT, TRAINING_RUN, VERSION } from '@crucible/crds';
import type { Logger } from '@crucible/service-kit';
import { Controller } from './kube/controller';
import { EventRecorder } from './kube/event-recorder';
import { KubeApi } from './kube/kube-api';
import { LeaderElector } from './kube/leader-election';
import type { ObjectKey } from './kube/object-key';
import { Watcher } from './kube/watcher';
import type { MetricsSource } from './model-deployment/metrics-source';
import type { ServingPodDefaults } from './model-deployment/serving-pod-defaults';
import { ModelDeploymentReconciler } from './model-deployment/model-deployment.reconciler';
import type { RolloutPublisher, VerdictSource } from './model-deployment/rollout-ports';
import { MANAGED_BY, TRAINING_RUN_LABEL } from './training-run/labels';
import type { TrainingJobContext } from './training-run/training-job.builder';
import { TrainingRunReconciler } from './training-run/training-run.reconciler';

export interface OperatorOptions {
  kc: k8s.KubeConfig;
  /** Namespaces to watch; empty = all namespaces. */
  namespaces: string[];
  identity: string;
  /** Leader election; undefined runs without it (one replica only). */
  lease?: { namespace: string; name: string; durationMs: number; renewDeadlineMs: number; retryPeriodMs: number };
  jobContext: TrainingJobContext;
  routingConfigMap: string;
  metrics?: MetricsSource;
  /** The chart's serving pod defaults (model-deployment/serving-pod-defaults.ts). */
  servingDefaults?: ServingPodDefaults;
  verdicts?: VerdictSource;
  publisher?: RolloutPublisher;
  resyncMs: number;
  analysisIntervalMs: number;
  workers?: number;
  logger: Logger;
  /** Leadership lost: stop reconciling at once. Default: exit so the pod restarts as a candidate. */
  onLostLeadership?: () => void;
}

const ownerKeys =
  (kind: string) =>
  (obj: k8s.KubernetesObject): ObjectKey[] =>
    (obj.metadata?.ownerReferences ?? [])
      .filter((o) => o.kind === kind && o.controller)
      .map((o) => ({ namespace: obj.metadata!.namespace!, name: o.name }));

const ownKey = (obj: k8s.KubernetesObject): ObjectKey[] => [{ namespace: obj.metadata!.namespace!, name: obj.metadata!.name! }];

export class Operator {
  readonly api: KubeApi;
  readonly trainingRuns: Controller;
  readonly modelDeployments: Controller;
  private readonly watchers: Watcher<k8s.KubernetesObject>[] = [];
  private readonly elector: LeaderElector | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly o: OperatorOptions) {
    this.api = new KubeApi(o.kc);
    const events = new EventRecorder(o.kc, 'crucible-operator', o.logger);
    this.trainingRuns = new Controller(
      new TrainingRunReconciler({ api: this.api, events, jobContext: o.jobContext, logger: o.logger, resyncMs: o.resyncMs }),
      o.logger,
      { workers: o.workers ?? 2 },
    );
    this.modelDeployments = new Controller(
      new ModelDeploymentReconciler({
        api: this.api,
        events,
        logger: o.logger,
        routingConfigMap: o.routingConfigMap,
        analysisIntervalMs: o.analysisIntervalMs,
        resyncMs: o.resyncMs,
        ...(o.metrics ? { metrics: o.metrics } : {}),
        ...(o.servingDefaults ? { servingDefaults: o.servingDefaults } : {}),
        ...(o.verdicts ? { verdicts: o.verdicts } : {}),
        ...(o.publisher ? { publisher: o.publisher } : {}),
      }),
      o.logger,
      { workers: o.workers ?? 2 },
    );
    if (o.lease) {
      this.elector = new LeaderElector({
        kc: o.kc,
        ...o.lease,
        identity: o.identity,
        leaseDurationMs: o.lease.durationMs,
        logger: o.logger,
        onStartedLeading: () => this.run(),
        onStoppedLeading: () => {
          void this.halt();
          (o.onLostLeadership ?? (() => process.exit(1)))();
        },
      });
    }
  }

  get isLeading(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    if (this.elector) this.elector.start();
    else await this.run();
  }

  async stop(): Promise<void> {
    await this.halt();
    await this.elector?.stop();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.o.logger.info({ identity: this.o.identity, namespaces: this.o.namespaces }, 'operator reconciling');
    const scopes = this.o.namespaces.length ? this.o.namespaces : [undefined];
    for (const ns of scopes) this.addWatchers(ns);
    this.trainingRuns.start();
    this.modelDeployments.start();
    await Promise.all(this.watchers.map((w) => w.start()));
    this.resyncTimer = setInterval(() => this.resync(), this.o.resyncMs);
    this.resyncTimer.unref();
  }

  private async halt(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.resyncTimer);
    await Promise.all(this.watchers.map((w) => w.stop()));
    this.watchers.length = 0;
    await Promise.all([this.trainingRuns.stop(), this.modelDeployments.stop()]);
  }

  /** Level-based safety net: reconcile every known resource, whatever the watches said. */
  resync(): void {
    for (const w of this.watchers) {
      for (const obj of w.cache.list()) {
        if (obj.kind === TRAINING_RUN.kind) this.trainingRuns.enqueue(ownKey(obj)[0]!);
        if (obj.kind === MODEL_DEPLOYMENT.kind) this.modelDeployments.enqueue(ownKey(obj)[0]!);
      }
    }
  }

  private addWatchers(ns: string | undefined): void {
    const { kc, logger } = this.o;
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const batch = kc.makeApiClient(k8s.BatchV1Api);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const prefix = (group: string) => (ns ? `${group}/namespaces/${ns}` : group);
    const managed = `app.kubernetes.io/managed-by=${MANAGED_BY['app.kubernetes.io/managed-by']}`;
    const listCustom = (plural: string) => () =>
      (ns
        ? custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural })
        : custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural })) as Promise<k8s.KubernetesListObject<k8s.KubernetesObject>>;
    const tr = (key: ObjectKey) => this.trainingRuns.enqueue(key);
    const md = (key: ObjectKey) => this.modelDeployments.enqueue(key);
    const add = <T extends k8s.KubernetesObject>(w: Watcher<T>) => this.watchers.push(w as unknown as Watcher<k8s.KubernetesObject>);

    add(new Watcher({ kc, logger, path: `${prefix(`/apis/${GROUP}/${VERSION}`)}/${TRAINING_RUN.plural}`, list: listCustom(TRAINING_RUN.plural), toKeys: ownKey, onKey: tr }));
    add(new Watcher({ kc, logger, path: `${prefix(`/apis/${GROUP}/${VERSION}`)}/${MODEL_DEPLOYMENT.plural}`, list: listCustom(MODEL_DEPLOYMENT.plural), toKeys: ownKey, onKey: md }));
    add(
      new Watcher<k8s.V1Job>({
        kc, logger, path: `${prefix('/apis/batch/v1')}/jobs`, labelSelector: managed,
        list: () => (ns ? batch.listNamespacedJob({ namespace: ns, labelSelector: managed }) : batch.listJobForAllNamespaces({ labelSelector: managed })),
        toKeys: ownerKeys(TRAINING_RUN.kind), onKey: tr,
      }),
    );
    add(
      new Watcher<k8s.V1Pod>({
        kc, logger, path: `${prefix('/api/v1')}/pods`, labelSelector: TRAINING_RUN_LABEL,
        list: () => (ns ? core.listNamespacedPod({ namespace: ns, labelSelector: TRAINING_RUN_LABEL }) : core.listPodForAllNamespaces({ labelSelector: TRAINING_RUN_LABEL })),
        toKeys: (pod) => {
          const run = pod.metadata?.annotations?.[TRAINING_RUN_LABEL];
          return run ? [{ namespace: pod.metadata!.namespace!, name: run }] : [];
        },
        onKey: tr,
      }),
    );
    add(
      new Watcher<k8s.V1Deployment>({
        kc, logger, path: `${prefix('/apis/apps/v1')}/deployments`, labelSelector: managed,
        list: () => (ns ? apps.listNamespacedDeployment({ namespace: ns, labelSelector: managed }) : apps.listDeploymentForAllNamespaces({ labelSelector: managed })),
        toKeys: ownerKeys(MODEL_DEPLOYMENT.kind), onKey: md,
      }),
    );
  }
}
