/**
 * The operator process (main.ts, a child process) is SIGKILLed mid-rollout; a new process
 * waits for the dead one's Lease to expire, then continues from the state persisted in the
 * ModelDeployment status and converges to the same end state as an uninterrupted rollout:
 * promoted once, no step repeated, old version pruned, routing at 100%.
 */
import * as k8s from '@kubernetes/client-node';
import { MODEL_DEPLOYMENT, type ModelDeployment } from '@crucible/crds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrucibleObject, deleteNamespace, getCrucibleObject, kubeconfigPath, kubeSuite, until } from './testing/kube-fixture';
import { FakeGatewayMetrics } from './testing/metrics-server';
import { type OperatorProcess, startOperatorProcess } from './testing/operator-process';

let kc: k8s.KubeConfig;
let custom: k8s.CustomObjectsApi;
let core: k8s.CoreV1Api;
let coordination: k8s.CoordinationV1Api;
let ns: string;
const gateway = new FakeGatewayMetrics();
const processes: OperatorProcess[] = [];

const getMd = () => getCrucibleObject<ModelDeployment>(custom, ns, MODEL_DEPLOYMENT, 'tales');

async function operatorProcess(identity: string): Promise<OperatorProcess> {
  const p = startOperatorProcess({
    KUBECONFIG: await kubeconfigPath(),
    OPERATOR_NAMESPACES: ns,
    OPERATOR_LEASE_NAMESPACE: ns,
    OPERATOR_IDENTITY: identity,
    OPERATOR_LEASE_DURATION_SECONDS: '4',
    OPERATOR_RENEW_DEADLINE_SECONDS: '3',
    OPERATOR_RETRY_PERIOD_SECONDS: '1',
    OPERATOR_RESYNC_SECONDS: '5',
    OPERATOR_ANALYSIS_INTERVAL_SECONDS: '0.3',
    OPERATOR_METRICS_URLS: gateway.url,
    OPERATOR_TRAINER_IMAGE: 'registry.example.invalid/trainer:1',
  });
  processes.push(p);
  return p;
}

beforeAll(async () => {
  ({ kc, ns } = await kubeSuite('op-restart'));
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
  core = kc.makeApiClient(k8s.CoreV1Api);
  coordination = kc.makeApiClient(k8s.CoordinationV1Api);
  await gateway.start();
}, 15 * 60_000);

afterAll(async () => {
  for (const p of processes) await p.kill();
  await gateway.stop();
  if (ns) await deleteNamespace(kc, ns);
});

describe('operator restart', { timeout: 240_000 }, () => {
  it('a SIGKILLed operator is replaced by one that finishes the rollout exactly once', async () => {
    const first = await operatorProcess('first');
    await createCrucibleObject(custom, ns, MODEL_DEPLOYMENT, 'tales', {
      model: 'tales',
      stableVersionId: 'tales@1',
      canaryVersionId: 'tales@2',
      rollout: { steps: [20, 50, 100], stepIntervalSeconds: 2, analysis: { minRequests: 10, maxErrorRate: 0.05, maxP99LatencyMs: 500 } },
      serving: { image: 'registry.example.invalid/serving:1' },
    });
    await until('first operator leads and starts the rollout', async () => (await getMd()).status?.phase === 'Progressing', 90_000, 500);
    gateway.serve('tales@1', 100);
    gateway.serve('tales@2', 15);
    await until('canary at 50%', async () => (await getMd()).status?.canaryWeight === 50, 30_000);
    await first.kill();
    const lease = await coordination.readNamespacedLease({ name: 'crucible-operator', namespace: ns });
    expect(lease.spec!.holderIdentity).toBe('first');

    // Traffic keeps flowing while no operator runs; the new one picks the rollout up at 50%.
    gateway.serve('tales@2', 15);
    const second = await operatorProcess('second');
    await until('second operator holds the lease', async () => (await coordination.readNamespacedLease({ name: 'crucible-operator', namespace: ns })).spec?.holderIdentity === 'second', 90_000, 500).catch(
      (e: Error) => Promise.reject(new Error(`${e.message}\n--- second operator output ---\n${second.output()}`)),
    );
    const later = async () => {
      gateway.serve('tales@2', 15);
      const md = await getMd();
      return md.status?.phase === 'Promoted' && md.spec.stableVersionId === 'tales@2' ? md : undefined;
    };
    const md = await until('promoted by the second operator', later, 60_000, 1_000);
    expect(md.status!.history!.map((h) => `${h.type}:${h.canaryWeight}`)).toEqual(['started:20', 'weight-changed:50', 'weight-changed:100', 'promoted:100']);
    const cm = await core.readNamespacedConfigMap({ name: 'crucible-routing', namespace: ns });
    expect(JSON.parse(cm.data!['routing.json']!)).toEqual({ tales: [{ version: 'tales@2', weight: 100 }] });
    await until('old version pruned', async () => {
      const deps = await kc.makeApiClient(k8s.AppsV1Api).listNamespacedDeployment({ namespace: ns, labelSelector: 'crucible.dev/model-deployment=tales' });
      return deps.items.length === 1 && deps.items[0]!.metadata!.labels!['crucible.dev/model-version'] === 'tales.2';
    }, 30_000);
    expect(second.output()).toContain('became leader');
  });
});
