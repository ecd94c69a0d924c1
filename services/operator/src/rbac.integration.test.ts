/**
 * The operator runs with exactly the permissions the Helm chart gives it: the chart's
 * rendered operator Role/RoleBinding (helm/crucible/templates/rbac-operator.yaml, written
 * from RBAC.md) and ServiceAccount are applied to a namespace, a token is minted for that
 * ServiceAccount, and an operator using only that token drives a TrainingRun (Job, pods,
 * status, Events, finalizer) and a ModelDeployment rollout (Deployments, Services, routing
 * ConfigMap, Lease) to their ends — with canary metrics found as the chart configures them:
 * every ready endpoint of the gateway Service's EndpointSlices (two replicas here), listed with
 * that token. A missing verb shows up as a 403 and a stuck resource.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { GROUP, MODEL_DEPLOYMENT, TRAINING_RUN, VERSION, type ModelDeployment, type TrainingRun } from '@crucible/crds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusOf } from './kube/kube-api';
import { KubeApi } from './kube/kube-api';
import { PrometheusMetricsSource, apiSliceLister } from './model-deployment/metrics-source';
import type { Operator } from './operator';
import { createNamespace, deleteNamespace, eventsFor, installCrds, kubeConfig, testOperator, until } from './testing/kube-fixture';
import { FakeGatewayMetrics, hostAddress } from './testing/metrics-server';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(__dirname, '../../..');
let admin: k8s.KubeConfig;
let custom: k8s.CustomObjectsApi;
let ns: string;
let operator: Operator | undefined;
let serviceAccount: string;
let saConfig: k8s.KubeConfig;
// Two gateway replicas behind one Service: the operator must scrape both.
const replicas = [new FakeGatewayMetrics(), new FakeGatewayMetrics()];
const GATEWAY_SERVICE = 'rel-crucible-serving';

beforeAll(async () => {
  admin = await kubeConfig();
  custom = admin.makeApiClient(k8s.CustomObjectsApi);
  await installCrds(admin);
  ns = await createNamespace(admin, 'op-rbac');
  const { stdout } = await run(
    path.join(REPO_ROOT, 'infra/tools/helm'),
    ['template', 'rel', path.join(REPO_ROOT, 'helm/crucible'), '--namespace', ns, '--show-only', 'templates/rbac-operator.yaml', '--show-only', 'templates/serviceaccount.yaml'],
    { timeout: 30 * 60_000, maxBuffer: 16 << 20 },
  );
  const docs = (k8s.loadAllYaml(stdout) as k8s.KubernetesObject[]).filter(Boolean);
  const binding = docs.find((d) => d.kind === 'RoleBinding' && !d.metadata!.name!.endsWith('-leader-election')) as k8s.V1RoleBinding;
  serviceAccount = binding.subjects![0]!.name;
  const objects = k8s.KubernetesObjectApi.makeApiClient(admin);
  for (const doc of docs.filter((d) => ['Role', 'RoleBinding'].includes(d.kind!) || (d.kind === 'ServiceAccount' && d.metadata!.name === serviceAccount))) {
    await objects.create({ ...doc, metadata: { ...doc.metadata, namespace: ns } });
  }
  const core = admin.makeApiClient(k8s.CoreV1Api);
  const token = await core.createNamespacedServiceAccountToken({ namespace: ns, name: serviceAccount, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const cluster = admin.getCurrentCluster()!;
  saConfig = new k8s.KubeConfig();
  saConfig.loadFromOptions({
    clusters: [cluster],
    users: [{ name: serviceAccount, token: token.status!.token }],
    contexts: [{ name: 'operator', cluster: cluster.name, user: serviceAccount }],
    currentContext: 'operator',
  });
  const address = hostAddress();
  if (!address) throw new Error('no non-loopback IPv4 address for the gateway EndpointSlice');
  for (const r of replicas) await r.start(address);
  // A Service without a selector and its EndpointSlice, as the endpointslice controller would write them for two ready pods.
  await core.createNamespacedService({ namespace: ns, body: { metadata: { name: GATEWAY_SERVICE }, spec: { ports: [{ name: 'http', port: 80 }] } } });
  await admin.makeApiClient(k8s.DiscoveryV1Api).createNamespacedEndpointSlice({
    namespace: ns,
    body: {
      metadata: { name: `${GATEWAY_SERVICE}-a`, labels: { 'kubernetes.io/service-name': GATEWAY_SERVICE } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: replicas[0]!.port }],
      endpoints: [{ addresses: [address], conditions: { ready: true } }],
    },
  });
  await admin.makeApiClient(k8s.DiscoveryV1Api).createNamespacedEndpointSlice({
    namespace: ns,
    body: {
      metadata: { name: `${GATEWAY_SERVICE}-b`, labels: { 'kubernetes.io/service-name': GATEWAY_SERVICE } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: replicas[1]!.port }],
      endpoints: [{ addresses: [address], conditions: { ready: true } }],
    },
  });
}, 30 * 60_000);

afterAll(async () => {
  await operator?.stop();
  for (const r of replicas) await r.stop();
  if (ns) await deleteNamespace(admin, ns);
});

describe('operator RBAC from the Helm chart', { timeout: 180_000 }, () => {
  it('the chart role denies what the operator must not touch', async () => {
    const denied = await saConfig.makeApiClient(k8s.CoreV1Api).listNamespacedSecret({ namespace: ns }).then(() => 200, (e: unknown) => statusOf(e));
    expect(denied).toBe(403);
    const otherNs = await saConfig.makeApiClient(k8s.BatchV1Api).listNamespacedJob({ namespace: 'default' }).then(() => 200, (e: unknown) => statusOf(e));
    expect(otherNs).toBe(403);
  });

  it('is enough to train, roll out, clean up and hold the leader Lease', async () => {
    operator = testOperator(saConfig, ns, {
      metrics: new PrometheusMetricsSource({ services: [{ name: GATEWAY_SERVICE, port: 'http' }], slices: apiSliceLister(new KubeApi(saConfig)) }),
      lease: { namespace: ns, name: 'crucible-operator', durationMs: 5_000, renewDeadlineMs: 3_000, retryPeriodMs: 500 },
    });
    await operator.start();
    await until('leading', async () => operator!.isLeading, 30_000);

    await custom.createNamespacedCustomObject({
      group: GROUP, version: VERSION, namespace: ns, plural: TRAINING_RUN.plural,
      body: { apiVersion: `${GROUP}/${VERSION}`, kind: 'TrainingRun', metadata: { name: 'rbac-run' }, spec: { dataset: { id: 'd@1', manifestPath: '/m.json' }, model: { preset: 'tiny' }, resources: { gpus: 1 } } },
    });
    const trained = await until('run Succeeded', async () => {
      const r = (await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: TRAINING_RUN.plural, name: 'rbac-run' })) as TrainingRun;
      return r.status?.phase === 'Succeeded' ? r : undefined;
    }, 120_000, 500);
    expect(trained.status!.conditions!.find((c) => c.type === 'Ready')!.status).toBe('True');

    await custom.createNamespacedCustomObject({
      group: GROUP, version: VERSION, namespace: ns, plural: MODEL_DEPLOYMENT.plural,
      body: {
        apiVersion: `${GROUP}/${VERSION}`, kind: 'ModelDeployment', metadata: { name: 'rbac-md' },
        spec: {
          model: 'rbac', stableVersionId: 'rbac@1', canaryVersionId: 'rbac@2',
          rollout: { steps: [50, 100], stepIntervalSeconds: 0, analysis: { minRequests: 5, maxErrorRate: 0.1, maxP99LatencyMs: 1_000 } },
          serving: { image: 'registry.example.invalid/serving:1' },
        },
      },
    });
    const promoted = await until('promoted', async () => {
      // 3 per replica per poll: the analysis sees 6, which only the sum over both replicas reaches in one poll.
      for (const r of replicas) r.serve('rbac@2', 3);
      const m = (await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: MODEL_DEPLOYMENT.plural, name: 'rbac-md' })) as ModelDeployment;
      return m.status?.phase === 'Promoted' && m.spec.stableVersionId === 'rbac@2' ? m : undefined;
    }, 60_000, 500);
    expect(promoted.status!.history!.map((h) => h.type)).toEqual(['started', 'weight-changed', 'promoted']);
    // Events are best-effort in the reconciler (logged, not thrown): check they were allowed.
    expect((await eventsFor(admin, ns, 'rbac-md')).map((e) => e.reason)).toEqual(expect.arrayContaining(['RolloutStarted', 'Promoted']));
    expect((await eventsFor(admin, ns, 'rbac-run')).map((e) => e.reason)).toEqual(expect.arrayContaining(['JobCreated', 'Succeeded']));

    await custom.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: TRAINING_RUN.plural, name: 'rbac-run' });
    await until('run finalized', () => custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: TRAINING_RUN.plural, name: 'rbac-run' }).then(() => false, (e: unknown) => statusOf(e) === 404), 60_000, 500);
  });
});
