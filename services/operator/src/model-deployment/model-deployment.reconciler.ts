/**
 * Reconciles one ModelDeployment, as named idempotent steps:
 *   1. read it (gone → nothing); being deleted → drop its routes, prune workloads, drop finalizer
 *   2. ensure the finalizer; validate the rollout spec
 *   3. decide the rollout: none, start (new canary), advance (observe metrics + verdicts), or keep (ended)
 *   4. apply a Deployment + Service per active version
 *   5. write the model's routes into the routing ConfigMap (before pruning, so traffic moves first)
 *   6. prune workloads of versions no longer active
 *   7. write status (rollout state, conditions); publish new history entries (outbox cursor)
 *   8. on promotion, make the spec say so: stableVersionId := canary, canaryVersionId removed
 */
import type * as k8s from '@kubernetes/client-node';
import { MODEL_DEPLOYMENT, type ModelDeployment, type ModelDeploymentStatus } from '@crucible/crds';
import {
  advance,
  routes,
  settledVersion,
  startRollout,
  validateSpec,
  type Observation,
  type Route,
  type RolloutSpec,
  type RolloutState,
  type Transition,
} from '@crucible/rollout';
import type { Logger } from '@crucible/service-kit';
import { setConditions, type ConditionInput } from '../kube/conditions';
import type { ReconcileResult, Reconciler } from '../kube/controller';
import type { EventRecorder } from '../kube/event-recorder';
import { type KubeApi, statusOf } from '../kube/kube-api';
import type { ObjectKey } from '../kube/object-key';
import { statusPatch } from '../kube/status-patch';
import { FINALIZER, MODEL_DEPLOYMENT_LABEL, VERSION_LABEL, labelValue, versionLabel } from '../training-run/labels';
import type { MetricsSource } from './metrics-source';
import { ROUTING_KEY, parseRouting, renderRouting, withRoutes } from './routing-config';
import type { RolloutPublisher, VerdictSource } from './rollout-ports';
import { rolloutSpecOf, stateFromStatus, statusFromState } from './rollout-status';
import { buildServingDeployment, buildServingService, workloadNameOf } from './serving-objects.builder';
import type { ServingPodDefaults } from './serving-pod-defaults';

export interface ModelDeploymentReconcilerOptions {
  api: KubeApi;
  events: EventRecorder;
  logger: Logger;
  routingConfigMap: string;
  metrics?: MetricsSource;
  verdicts?: VerdictSource;
  publisher?: RolloutPublisher;
  /** The chart's serving pod defaults (env by reference, Kafka CA, security context). */
  servingDefaults?: ServingPodDefaults;
  /** How often a progressing rollout is analysed. */
  analysisIntervalMs: number;
  resyncMs: number;
  now?: () => number;
}

interface Decision {
  transition?: Transition;
  /** Version serving all traffic when no rollout is progressing. */
  stable?: string;
  metricsProblem?: string;
}

const EMPTY = { requests: 0, errors: 0, p99LatencyMs: 0 };

export class ModelDeploymentReconciler implements Reconciler {
  readonly name = 'modeldeployment';
  private readonly now: () => number;

  constructor(private readonly o: ModelDeploymentReconcilerOptions) {
    this.now = o.now ?? Date.now;
  }

  async reconcile({ namespace, name }: ObjectKey): Promise<ReconcileResult> {
    const md = await this.o.api.getCustom<ModelDeployment>(MODEL_DEPLOYMENT.plural, namespace, name);
    if (!md) return {};
    if (md.metadata.deletionTimestamp) return this.finalize(md);
    if (!md.metadata.finalizers?.includes(FINALIZER)) {
      await this.o.api.patchCustom(MODEL_DEPLOYMENT.plural, namespace, name, {
        metadata: { finalizers: [...(md.metadata.finalizers ?? []), FINALIZER], resourceVersion: md.metadata.resourceVersion },
      });
    }
    const spec = rolloutSpecOf(md);
    const issues = validateSpec(spec);
    if (issues.length > 0) {
      const message = issues.map((i) => `spec.rollout.${i.path}: ${i.message}`).join('; ');
      await this.writeStatus(md, { ...md.status, phase: md.status?.phase ?? 'Pending' }, [
        { type: 'Ready', status: 'False', reason: 'InvalidSpec', message },
        { type: 'Failed', status: 'True', reason: 'InvalidSpec', message },
      ]);
      return {};
    }

    const decision = await this.decide(md, spec);
    const state = decision.transition?.state;
    const active = activeVersions(state, decision.stable);
    for (const version of active) {
      await this.o.api.apply(buildServingDeployment(md, version, this.o.servingDefaults));
      await this.o.api.apply(buildServingService(md, version));
    }
    const table = state ? routes(state) : decision.stable ? [{ version: decision.stable, weight: 100 }] : [];
    await this.writeRoutes(md, table);
    await this.prune(md, active);

    const status = this.nextStatus(md, decision);
    await this.writeStatus(md, status, conditionsFor(status, decision));
    await this.recordEvents(md, decision);
    await this.publish(md, status);
    if (state?.phase === 'promoted' && md.spec.canaryVersionId === state.canaryVersionId) {
      await this.o.api.patchCustom(MODEL_DEPLOYMENT.plural, namespace, name, {
        spec: { stableVersionId: state.canaryVersionId, canaryVersionId: null },
      });
    }
    if (state?.phase === 'progressing') {
      const untilStep = state.stepStartedAt + spec.stepIntervalMs - this.now();
      return { requeueAfterMs: Math.max(100, Math.min(this.o.analysisIntervalMs, untilStep > 0 ? untilStep : this.o.analysisIntervalMs)) };
    }
    return { requeueAfterMs: this.o.resyncMs };
  }

  private async decide(md: ModelDeployment, spec: RolloutSpec): Promise<Decision> {
    const stored = stateFromStatus(md);
    const canary = md.spec.canaryVersionId;
    const settled = stored && stored.phase !== 'progressing' ? settledVersion(stored) : stored?.stableVersionId;
    const currentStable = md.spec.stableVersionId ?? settled ?? md.status?.stableVersionId;
    if (!canary || canary === currentStable) {
      // Keep the last rollout's record when it already describes what serves; else a plain stable.
      if (stored && stored.phase !== 'progressing' && settledVersion(stored) === currentStable) {
        return { transition: { state: stored, events: [] } };
      }
      return { ...(currentStable ? { stable: currentStable } : {}) };
    }
    const now = this.now();
    if (stored && stored.canaryVersionId === canary) {
      if (stored.phase !== 'progressing') return { transition: { state: stored, events: [] } };
      const { observation, problem } = await this.observe(md, stored, now);
      return { transition: advance(stored, spec, observation), ...(problem ? { metricsProblem: problem } : {}) };
    }
    return {
      transition: startRollout(spec, {
        deployment: md.metadata.name,
        model: md.spec.model,
        ...(currentStable ? { stableVersionId: currentStable } : {}),
        canaryVersionId: canary,
        now,
      }),
    };
  }

  private async observe(md: ModelDeployment, state: RolloutState, now: number): Promise<{ observation: Observation; problem?: string }> {
    const verdicts = this.o.verdicts?.verdictsFor(state.canaryVersionId);
    const base = { now, ...(verdicts ? { verdicts } : {}) };
    if (!this.o.metrics) return { observation: { ...base, canary: EMPTY }, problem: 'no metrics source configured (OPERATOR_METRICS_SERVICES or OPERATOR_METRICS_URLS)' };
    const versions = [state.canaryVersionId, ...(state.stableVersionId ? [state.stableVersionId] : [])];
    try {
      const m = await this.o.metrics.observe(versions, { namespace: md.metadata.namespace, services: versions.map((v) => workloadNameOf(md, v)) });
      const stable = state.stableVersionId ? m.get(state.stableVersionId) : undefined;
      return { observation: { ...base, canary: m.get(state.canaryVersionId) ?? EMPTY, ...(stable ? { stable } : {}) } };
    } catch (error) {
      // No numbers is not a verdict: the step waits (verdicts still apply) until metrics return.
      return { observation: { ...base, canary: EMPTY }, problem: `metrics unavailable: ${(error as Error).message}` };
    }
  }

  private nextStatus(md: ModelDeployment, d: Decision): ModelDeploymentStatus {
    const previous = md.status;
    if (d.transition) return { ...statusFromState(previous, d.transition.state, d.transition.events), observedGeneration: md.metadata.generation };
    return {
      ...previous,
      phase: d.stable ? 'Stable' : 'Pending',
      stableVersionId: d.stable,
      canaryVersionId: undefined,
      canaryWeight: 0,
      stepIndex: undefined,
      stepStartedAt: undefined,
      stepStartRequests: undefined,
      reason: undefined,
      observedGeneration: md.metadata.generation,
    };
  }

  private async writeStatus(md: ModelDeployment, status: ModelDeploymentStatus, conditions: ConditionInput[]): Promise<void> {
    const next = { ...status, conditions: setConditions(md.status?.conditions, conditions, md.metadata.generation, new Date(this.now())) };
    const patch = statusPatch(md.status, next);
    if (patch) md.status = (await this.o.api.patchCustomStatus<ModelDeployment>(MODEL_DEPLOYMENT.plural, md.metadata.namespace, md.metadata.name, patch)).status;
  }

  private async writeRoutes(md: ModelDeployment, table: Route[] | undefined): Promise<void> {
    const { namespace } = md.metadata;
    const name = this.o.routingConfigMap;
    const cm = await this.o.api.get<k8s.V1ConfigMap>('v1', 'ConfigMap', namespace, name);
    const current = parseRouting(cm?.data?.[ROUTING_KEY]);
    const text = renderRouting(withRoutes(current, md.spec.model, table));
    if (cm?.data?.[ROUTING_KEY] === text) return;
    const body: k8s.V1ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'crucible-operator' }, ...(cm ? { resourceVersion: cm.metadata!.resourceVersion! } : {}) },
      data: { ...(cm?.data ?? {}), [ROUTING_KEY]: text },
    };
    // create or replace with the resourceVersion read: a concurrent write (another model) → 409 → retried.
    if (cm) await this.o.api.objects.replace(body);
    else await this.o.api.objects.create(body);
  }

  private async prune(md: ModelDeployment, keep: readonly string[]): Promise<void> {
    const { namespace } = md.metadata;
    const selector = `${MODEL_DEPLOYMENT_LABEL}=${labelValue(md.metadata.name)}`;
    const keepLabels = new Set(keep.map(versionLabel));
    for (const [apiVersion, kind] of [['apps/v1', 'Deployment'], ['v1', 'Service']] as const) {
      for (const obj of await this.o.api.list<k8s.KubernetesObject>(apiVersion, kind, namespace, selector)) {
        if (!keepLabels.has(obj.metadata?.labels?.[VERSION_LABEL] ?? '')) {
          await this.o.api.delete(apiVersion, kind, namespace, obj.metadata!.name!);
        }
      }
    }
  }

  private async recordEvents(md: ModelDeployment, d: Decision): Promise<void> {
    for (const e of d.transition?.events ?? []) {
      const s = d.transition!.state;
      const what =
        e.type === 'started' ? `rollout of ${s.canaryVersionId} started at ${e.canaryWeight}%${s.stableVersionId ? ` (stable ${s.stableVersionId})` : ''}`
        : e.type === 'weight-changed' ? `canary ${s.canaryVersionId} at ${e.canaryWeight}%`
        : e.type === 'promoted' ? `${s.canaryVersionId} promoted: ${e.reason ?? ''}`
        : `${s.canaryVersionId} rolled back: ${e.reason ?? ''}`;
      const reason = { started: 'RolloutStarted', 'weight-changed': 'WeightChanged', promoted: 'Promoted', 'rolled-back': 'RolledBack' }[e.type];
      await this.o.events.record(md, e.type === 'rolled-back' ? 'Warning' : 'Normal', reason, what);
    }
  }

  /** Outbox: history entries past `publishedEvents` go to the bus, then the cursor moves. */
  private async publish(md: ModelDeployment, status: ModelDeploymentStatus): Promise<void> {
    if (!this.o.publisher) return;
    const history = md.status?.history ?? status.history ?? [];
    let cursor = md.status?.publishedEvents ?? 0;
    const start = cursor;
    for (; cursor < history.length; cursor++) {
      const entry = history[cursor]!;
      await this.o.publisher.publish(md, entry, `${md.metadata.uid ?? md.metadata.name}:${entry.type}:${entry.canaryVersionId}:${entry.at}`);
    }
    if (cursor !== start) {
      md.status = (
        await this.o.api.patchCustomStatus<ModelDeployment>(MODEL_DEPLOYMENT.plural, md.metadata.namespace, md.metadata.name, { publishedEvents: cursor })
      ).status;
    }
  }

  private async finalize(md: ModelDeployment): Promise<ReconcileResult> {
    if (!md.metadata.finalizers?.includes(FINALIZER)) return {};
    await this.writeRoutes(md, undefined);
    await this.prune(md, []);
    try {
      await this.o.api.patchCustom(MODEL_DEPLOYMENT.plural, md.metadata.namespace, md.metadata.name, {
        metadata: { finalizers: md.metadata.finalizers.filter((f) => f !== FINALIZER), resourceVersion: md.metadata.resourceVersion },
      });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    return {};
  }
}

/** Versions that need a Deployment: both while progressing, the survivor once ended. */
export function activeVersions(state: RolloutState | undefined, stable: string | undefined): string[] {
  if (!state) return stable ? [stable] : [];
  if (state.phase === 'progressing') return [...(state.stableVersionId ? [state.stableVersionId] : []), state.canaryVersionId];
  const survivor = settledVersion(state);
  return survivor ? [survivor] : [];
}

function conditionsFor(status: ModelDeploymentStatus, d: Decision): ConditionInput[] {
  const phase = status.phase;
  if (phase === 'Progressing') {
    const message = `canary ${status.canaryVersionId} at ${status.canaryWeight}% (step ${(status.stepIndex ?? 0) + 1})${d.metricsProblem ? `; ${d.metricsProblem}` : ''}`;
    return [
      { type: 'Ready', status: 'False', reason: 'RolloutInProgress', message },
      { type: 'Progressing', status: 'True', reason: 'CanaryAnalysis', message },
      { type: 'Failed', status: 'False', reason: 'CanaryAnalysis', message },
    ];
  }
  if (phase === 'RolledBack') {
    const message = `${status.canaryVersionId} rolled back: ${status.reason ?? ''}; ${status.stableVersionId} serves`;
    return [
      { type: 'Ready', status: 'True', reason: 'RolledBack', message },
      { type: 'Progressing', status: 'False', reason: 'RolledBack', message },
      { type: 'Failed', status: 'True', reason: 'RolledBack', message },
    ];
  }
  const serving = phase === 'Promoted' ? status.canaryVersionId : status.stableVersionId;
  const reason = phase === 'Promoted' ? 'Promoted' : serving ? 'Stable' : 'NoVersion';
  const message = serving ? `${serving} serves all traffic` : 'no version to serve yet';
  return [
    { type: 'Ready', status: serving ? 'True' : 'False', reason, message },
    { type: 'Progressing', status: 'False', reason, message },
    { type: 'Failed', status: 'False', reason, message },
  ];
}
