// Integration tests for the local control plane started by infra/k8s/up (or any cluster
// named by KUBECONFIG): CRDs + watches, RBAC + service-account tokens, and a GPU Job
// scheduled onto the kwok GPU node, driven to completion by kwok's stages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import fs from 'node:fs';
import path from 'node:path';
import { kubeConfig, repoRoot, statusOf, uniq, until, waitForDefaultServiceAccount } from './kube';

let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let ext: k8s.ApiextensionsV1Api;
let custom: k8s.CustomObjectsApi;
let batch: k8s.BatchV1Api;
let authz: k8s.AuthorizationV1Api;
let rbac: k8s.RbacAuthorizationV1Api;
const ns = uniq('crucible-k8s-test');
const group = `${uniq('t')}.k8stest.crucible.dev`;
const crdName = `gadgets.${group}`;
// Tests that need kwok's simulated nodes skip on a cluster without them (KUBECONFIG pointing elsewhere).
let kwokNodes = false;

beforeAll(async () => {
  kc = await kubeConfig();
  core = kc.makeApiClient(k8s.CoreV1Api);
  ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
  batch = kc.makeApiClient(k8s.BatchV1Api);
  authz = kc.makeApiClient(k8s.AuthorizationV1Api);
  rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
  const nodes = await core.listNode();
  kwokNodes = nodes.items.some((n) => n.metadata?.annotations?.['kwok.x-k8s.io/node'] === 'fake');
}, 90 * 60_000);

afterAll(async () => {
  await ext?.deleteCustomResourceDefinition({ name: crdName }).catch(() => undefined);
  await core?.deleteNamespace({ name: ns }).catch(() => undefined);
});

describe('control plane', { timeout: 180_000 }, () => {
  it('serves the pinned Kubernetes version', async (ctx) => {
    if (process.env.KUBECONFIG) ctx.skip('KUBECONFIG names another cluster');
    const pinned = /K8S_VERSION="\$\{CRUCIBLE_K8S_VERSION:-(v[0-9.]+)\}"/.exec(fs.readFileSync(path.join(repoRoot, 'infra/k8s/versions.sh'), 'utf8'))![1];
    const v = await kc.makeApiClient(k8s.VersionApi).getCode();
    expect(v.gitVersion).toBe(pinned);
  });

  it('has the kwok nodes Ready, the GPU node with 8 nvidia.com/gpu and its taint', async (ctx) => {
    if (!kwokNodes) ctx.skip('no kwok nodes in this cluster');
    const nodes = await core.listNode();
    const byName = new Map(nodes.items.map((n) => [n.metadata!.name!, n]));
    for (const name of ['kwok-cpu-0', 'kwok-gpu-0']) {
      const node = byName.get(name);
      expect(node, `node ${name}`).toBeDefined();
      expect(node!.status!.conditions!.find((c) => c.type === 'Ready')?.status).toBe('True');
    }
    const gpu = byName.get('kwok-gpu-0')!;
    expect(gpu.status!.allocatable!['nvidia.com/gpu']).toBe('8');
    expect(gpu.metadata!.labels!['nvidia.com/gpu.present']).toBe('true');
    expect(gpu.spec!.taints).toContainEqual({ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' });
  });

  it('creates a CRD and a custom object, validates it, and a watch sees every change', async () => {
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name: crdName },
        spec: {
          group,
          scope: 'Namespaced',
          names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer', minimum: 1 } } },
                  },
                },
              },
            },
          ],
        },
      },
    });
    await until('CRD Established', async () => {
      const crd = await ext.readCustomResourceDefinition({ name: crdName });
      return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    });
    // Discovery can lag the Established condition by a moment; wait until the resource is served.
    await until('gadgets served', () => custom.listNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural: 'gadgets' }).then(() => true));

    const events: Array<{ type: string; name: string; size?: number }> = [];
    const watch = new k8s.Watch(kc);
    const ctl = await watch.watch(
      `/apis/${group}/v1/namespaces/${ns}/gadgets`,
      {},
      (type, obj) => events.push({ type, name: obj.metadata?.name, size: obj.spec?.size }),
      () => undefined,
    );
    try {
      const body = { apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'g1' }, spec: { size: 1 } };
      await custom.createNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural: 'gadgets', body });

      // The apiserver enforces the CRD's structural schema.
      const bad = { ...body, metadata: { name: 'bad' }, spec: { size: 0 } };
      const err = await custom.createNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural: 'gadgets', body: bad }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(statusOf(err)).toBe(422);

      const cur = (await custom.getNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural: 'gadgets', name: 'g1' })) as {
        metadata: { resourceVersion: string };
      };
      await custom.replaceNamespacedCustomObject({
        group,
        version: 'v1',
        namespace: ns,
        plural: 'gadgets',
        name: 'g1',
        body: { ...body, metadata: { name: 'g1', resourceVersion: cur.metadata.resourceVersion }, spec: { size: 2 } },
      });
      await custom.deleteNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural: 'gadgets', name: 'g1' });
      await until('watch events', async () => events.some((e) => e.type === 'DELETED'), 15_000);
    } finally {
      ctl.abort();
    }
    expect(events.map((e) => `${e.type}:${e.name}:${e.size}`)).toEqual(['ADDED:g1:1', 'MODIFIED:g1:2', 'DELETED:g1:2']);
  });

  it('enforces RBAC for a ServiceAccount and accepts its signed token', async () => {
    const sa = 'reader';
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: sa } } });
    await rbac.createNamespacedRole({
      namespace: ns,
      body: { metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: ns,
      body: {
        metadata: { name: 'cm-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
        subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns }],
      },
    });
    const user = `system:serviceaccount:${ns}:${sa}`;
    const can = async (verb: string, resource: string, namespace = ns) =>
      (
        await authz.createSubjectAccessReview({
          body: { spec: { user, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`], resourceAttributes: { namespace, verb, resource } } },
        })
      ).status!.allowed;
    expect(await can('list', 'configmaps')).toBe(true);
    expect(await can('delete', 'configmaps')).toBe(false);
    expect(await can('list', 'secrets')).toBe(false);
    expect(await can('list', 'configmaps', 'default')).toBe(false);

    // A token minted through the TokenRequest API (signed with --service-account-signing-key-file)
    // authenticates as the ServiceAccount, and RBAC applies to it.
    const tr = await core.createNamespacedServiceAccountToken({ namespace: ns, name: sa, body: { spec: { audiences: [], expirationSeconds: 600 } } });
    const saKc = new k8s.KubeConfig();
    saKc.loadFromOptions({
      clusters: [kc.getCurrentCluster()!],
      users: [{ name: sa, token: tr.status!.token }],
      contexts: [{ name: 'sa', cluster: kc.getCurrentCluster()!.name, user: sa }],
      currentContext: 'sa',
    });
    const saCore = saKc.makeApiClient(k8s.CoreV1Api);
    await expect(saCore.listNamespacedConfigMap({ namespace: ns })).resolves.toBeDefined();
    const denied = await saCore.listNamespacedSecret({ namespace: ns }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(statusOf(denied)).toBe(403);

    // kube-controller-manager's token controller fills legacy service-account token Secrets.
    await core.createNamespacedSecret({
      namespace: ns,
      body: { metadata: { name: 'reader-token', annotations: { 'kubernetes.io/service-account.name': sa } }, type: 'kubernetes.io/service-account-token' },
    });
    const secret = await until('token controller populated the Secret', async () => {
      const s = await core.readNamespacedSecret({ name: 'reader-token', namespace: ns });
      return s.data?.token ? s : undefined;
    });
    expect(Object.keys(secret.data!).sort()).toEqual(['ca.crt', 'namespace', 'token']);
  });

  it('finalizes a deleted namespace (namespace controller empties it, then it is gone)', async () => {
    const ns2 = uniq('crucible-k8s-ns');
    await core.createNamespace({ body: { metadata: { name: ns2 } } });
    await core.createNamespacedConfigMap({ namespace: ns2, body: { metadata: { name: 'c' }, data: { a: 'b' } } });
    await core.deleteNamespace({ name: ns2 });
    await until(
      `namespace ${ns2} gone`,
      () => core.readNamespace({ name: ns2 }).then(() => false, (e: unknown) => statusOf(e) === 404),
      60_000,
      500,
    );
  });

  it('runs a GPU Job on the kwok GPU node: Pod Running then Succeeded, Job Complete', async (ctx) => {
    if (!kwokNodes) ctx.skip('no kwok nodes in this cluster');
    await waitForDefaultServiceAccount(core, ns);
    const name = 'gpu-job';
    const phases: string[] = [];
    let nodeName: string | undefined;
    const watch = new k8s.Watch(kc);
    const ctl = await watch.watch(`/api/v1/namespaces/${ns}/pods`, { labelSelector: `job-name=${name}` }, (_type, pod: k8s.V1Pod) => {
      const phase = pod.status?.phase;
      if (phase && phases[phases.length - 1] !== phase) phases.push(phase);
      nodeName = pod.spec?.nodeName ?? nodeName;
    }, () => undefined);
    try {
      await batch.createNamespacedJob({
        namespace: ns,
        body: {
          metadata: { name },
          spec: {
            backoffLimit: 0,
            template: {
              spec: {
                restartPolicy: 'Never',
                tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
                containers: [{ name: 'train', image: 'registry.example.invalid/train:1', resources: { limits: { 'nvidia.com/gpu': '1' } } }],
              },
            },
          },
        },
      });
      const job = await until(
        'Job Complete',
        async () => {
          const j = await batch.readNamespacedJob({ name, namespace: ns });
          return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
        },
        120_000,
        500,
      );
      expect(job.status!.succeeded).toBe(1);
      await until('pod Succeeded seen by the watch', async () => phases.includes('Succeeded'), 10_000);
    } finally {
      ctl.abort();
    }
    expect(nodeName).toBe('kwok-gpu-0');
    expect(phases).toContain('Running');
    expect(phases.indexOf('Running')).toBeLessThan(phases.indexOf('Succeeded'));
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: `job-name=${name}` });
    expect(pods.items).toHaveLength(1);
    expect(pods.items[0]?.status?.phase).toBe('Succeeded');

    // Garbage collection: deleting the Job in the background removes its Pod (kwok confirms the delete).
    await batch.deleteNamespacedJob({ name, namespace: ns, propagationPolicy: 'Background' });
    await until(
      'Job pods garbage-collected',
      async () => (await core.listNamespacedPod({ namespace: ns, labelSelector: `job-name=${name}` })).items.length === 0,
      60_000,
      500,
    );
  });

  it('does not schedule a GPU pod without the toleration', async (ctx) => {
    if (!kwokNodes) ctx.skip('no kwok nodes in this cluster');
    await waitForDefaultServiceAccount(core, ns);
    await core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: 'no-toleration' },
        spec: { containers: [{ name: 'c', image: 'registry.example.invalid/x:1', resources: { limits: { 'nvidia.com/gpu': '1' } } }] },
      },
    });
    const cond = await until('PodScheduled=False', async () => {
      const p = await core.readNamespacedPod({ name: 'no-toleration', namespace: ns });
      return p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    });
    expect(cond?.reason).toBe('Unschedulable');
  });
});
