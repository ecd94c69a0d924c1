/**
 * ModelDeployment against the real control plane: a canary judged on metrics from a real
 * HTTP endpoint serving Prometheus text (the test plays the gateway's traffic) is promoted
 * when analysis passes and rolled back when it fails; workloads, the routing ConfigMap,
 * status, Events and the rollout topics (embedded SQLite bus) follow.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { EmbeddedBus, EventBus } from '@crucible/bus';
import { TOPICS, type Topic } from '@crucible/contracts';
import { GROUP, MODEL_DEPLOYMENT, VERSION, type ModelDeployment } from '@crucible/crds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operator } from '../operator';
import { createCrucibleObject, deleteNamespace, eventsFor, getCrucibleObject, kubeSuite, testOperator, until } from '../testing/kube-fixture';
import { FakeGatewayMetrics } from '../testing/metrics-server';
import { BusRolloutPublisher } from './bus-rollout.publisher';
import { PrometheusMetricsSource } from './metrics-source';
import { VerdictStore } from './rollout-ports';

let kc: k8s.KubeConfig;
let custom: k8s.CustomObjectsApi;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
let ns: string;
let operator: Operator;
let bus: EventBus;
let busDir: string;
const gateway = new FakeGatewayMetrics();
const verdicts = new VerdictStore();
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

const getMd = (name: string) => getCrucibleObject<ModelDeployment>(custom, ns, MODEL_DEPLOYMENT, name);
const patchSpec = (name: string, spec: object) =>
  custom.patchNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: MODEL_DEPLOYMENT.plural, name, body: { spec } }, merge);
const createMd = (name: string, model: string, stable: string) =>
  createCrucibleObject(custom, ns, MODEL_DEPLOYMENT, name, {
    model,
    stableVersionId: stable,
    rollout: { steps: [25, 100], stepIntervalSeconds: 1, analysis: { minRequests: 20, maxErrorRate: 0.05, maxP99LatencyMs: 500 } },
    serving: { image: 'registry.example.invalid/serving:1', replicas: 1 },
  });
const routing = async () => {
  const cm = await core.readNamespacedConfigMap({ name: 'crucible-routing', namespace: ns });
  return JSON.parse(cm.data!['routing.json']!) as Record<string, Array<{ version: string; weight: number }>>;
};
const versionsDeployed = async (md: string) =>
  (await apps.listNamespacedDeployment({ namespace: ns, labelSelector: `crucible.dev/model-deployment=${md}` })).items.map((d) => d.metadata!.labels!['crucible.dev/model-version']).sort();

async function published(topic: Topic, group: string): Promise<Array<Record<string, unknown>>> {
  const seen: Array<Record<string, unknown>> = [];
  const sub = await bus.subscribe(topic, group, async (e) => void seen.push(e.payload as Record<string, unknown>), { fromBeginning: true });
  await new Promise((r) => setTimeout(r, 500));
  await sub.stop();
  return seen;
}

beforeAll(async () => {
  ({ kc, ns } = await kubeSuite('op-rollout'));
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  await gateway.start();
  busDir = fs.mkdtempSync(path.join(os.tmpdir(), 'op-bus-'));
  bus = new EventBus(new EmbeddedBus({ path: path.join(busDir, 'bus.sqlite') }), 'crucible/operator');
  operator = testOperator(kc, ns, {
    metrics: new PrometheusMetricsSource([gateway.url]),
    verdicts,
    publisher: new BusRolloutPublisher(bus),
  });
  await operator.start();
}, 15 * 60_000);

afterAll(async () => {
  await operator?.stop();
  await gateway.stop();
  await (bus?.transport as EmbeddedBus | undefined)?.close();
  if (ns) await deleteNamespace(kc, ns);
  if (busDir) fs.rmSync(busDir, { recursive: true, force: true });
});

describe('ModelDeployment', { timeout: 180_000 }, () => {
  it('serves the stable version, then promotes a healthy canary step by step', async () => {
    await createMd('sotu', 'sotu', 'sotu@3');
    await until('stable routed', async () => (await routing()).sotu?.[0]?.weight === 100, 30_000);
    expect(await routing()).toEqual({ sotu: [{ version: 'sotu@3', weight: 100 }] });
    expect(await versionsDeployed('sotu')).toEqual(['sotu.3']);
    // Status is the reconcile's last write (after routing and pruning): wait for it, don't race it.
    await until('status Stable', async () => (await getMd('sotu')).status?.phase === 'Stable', 30_000);

    await patchSpec('sotu', { canaryVersionId: 'sotu@4' });
    await until('canary at 25%', async () => JSON.stringify((await routing()).sotu) === JSON.stringify([{ version: 'sotu@3', weight: 75 }, { version: 'sotu@4', weight: 25 }]), 30_000);
    expect(await versionsDeployed('sotu')).toEqual(['sotu.3', 'sotu.4']);
    const progressing = await until('status Progressing', async () => {
      const md = await getMd('sotu');
      return md.status?.phase === 'Progressing' ? md : undefined;
    }, 30_000);
    expect(progressing.status).toMatchObject({ phase: 'Progressing', canaryWeight: 25, stepIndex: 0 });

    // Too little traffic: the step waits even after its interval.
    gateway.serve('sotu@4', 5);
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await getMd('sotu')).status?.canaryWeight).toBe(25);

    gateway.serve('sotu@3', 500);
    gateway.serve('sotu@4', 30);
    await until('canary at 100%', async () => (await getMd('sotu')).status?.canaryWeight === 100, 30_000);
    gateway.serve('sotu@4', 30);
    const promoted = await until('promoted', async () => {
      const md = await getMd('sotu');
      return md.status?.phase === 'Promoted' && md.spec.stableVersionId === 'sotu@4' ? md : undefined;
    }, 30_000);
    expect(promoted.spec.canaryVersionId).toBeUndefined();
    expect(promoted.status!.history!.map((h) => `${h.type}:${h.canaryWeight}`)).toEqual(['started:25', 'weight-changed:100', 'promoted:100']);
    expect(promoted.status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'Promoted' });
    await until('old stable removed', async () => JSON.stringify(await versionsDeployed('sotu')) === JSON.stringify(['sotu.4']), 30_000);
    expect(await routing()).toEqual({ sotu: [{ version: 'sotu@4', weight: 100 }] });

    const events = (await eventsFor(kc, ns, 'sotu')).map((e) => e.reason);
    expect(events).toEqual(expect.arrayContaining(['RolloutStarted', 'WeightChanged', 'Promoted']));
    await until('rollout events published', async () => (await getMd('sotu')).status?.publishedEvents === 3, 10_000);
    expect(await published(TOPICS.rolloutStarted, 't-started')).toEqual([
      { deployment: 'sotu', model: 'sotu', stableVersionId: 'sotu@3', canaryVersionId: 'sotu@4', canaryWeight: 25 },
    ]);
    expect(await published(TOPICS.rolloutPromoted, 't-promoted')).toEqual([{ deployment: 'sotu', model: 'sotu', stableVersionId: 'sotu@3', canaryVersionId: 'sotu@4' }]);
  });

  it('rolls a canary with a high error rate back, with the reason', async () => {
    await createMd('news', 'news', 'news@1');
    await until('stable routed', async () => (await routing()).news?.[0]?.version === 'news@1', 30_000);
    await patchSpec('news', { canaryVersionId: 'news@2' });
    await until('canary routed', async () => (await routing()).news?.length === 2, 30_000);
    gateway.serve('news@2', 40, 10);
    const md = await until('rolled back', async () => {
      const m = await getMd('news');
      return m.status?.phase === 'RolledBack' ? m : undefined;
    }, 30_000);
    expect(md.status!.reason).toBe('canary error rate 20% > 5%');
    expect(md.status!.canaryWeight).toBe(0);
    expect(md.status!.conditions!.find((c) => c.type === 'Failed')).toMatchObject({ status: 'True', reason: 'RolledBack' });
    expect(md.spec).toMatchObject({ stableVersionId: 'news@1', canaryVersionId: 'news@2' });
    expect((await routing()).news).toEqual([{ version: 'news@1', weight: 100 }]);
    await until('canary workload removed', async () => JSON.stringify(await versionsDeployed('news')) === JSON.stringify(['news.1']), 30_000);
    const warning = (await eventsFor(kc, ns, 'news')).find((e) => e.reason === 'RolledBack');
    expect(warning).toMatchObject({ type: 'Warning', message: 'news@2 rolled back: canary error rate 20% > 5%' });
    await until('rolled-back published', async () => (await getMd('news')).status?.publishedEvents === 2, 10_000);
    expect(await published(TOPICS.rolloutRolledBack, 't-rb')).toEqual([
      { deployment: 'news', model: 'news', stableVersionId: 'news@1', canaryVersionId: 'news@2', reason: 'canary error rate 20% > 5%' },
    ]);
  });

  it('rolls back on a failed safety verdict even with healthy traffic', async () => {
    await createMd('poems', 'poems', 'poems@1');
    await until('stable routed', async () => (await routing()).poems?.[0]?.version === 'poems@1', 30_000);
    await patchSpec('poems', { canaryVersionId: 'poems@2' });
    await until('progressing', async () => (await getMd('poems')).status?.phase === 'Progressing', 30_000);
    verdicts.record('poems@2', 'safety', false);
    const md = await until('rolled back', async () => {
      const m = await getMd('poems');
      return m.status?.phase === 'RolledBack' ? m : undefined;
    }, 30_000);
    expect(md.status!.reason).toBe('safety verdict failed');
  });

  it('on deletion removes its routes and workloads, then goes', async () => {
    await custom.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: MODEL_DEPLOYMENT.plural, name: 'poems' });
    await until('gone', () => getMd('poems').then(() => false, () => true), 30_000);
    expect((await routing()).poems).toBeUndefined();
    expect(await versionsDeployed('poems')).toEqual([]);
  });
});
