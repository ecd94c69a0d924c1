// The chart's ServiceAccounts, Roles and RoleBindings created for real in a test namespace,
// then each service's identity asks the apiserver what it may do: tokens minted through the
// TokenRequest API, SelfSubjectAccessReviews and SelfSubjectRulesReviews sent AS that identity.
// The operator may do exactly what services/operator/RBAC.md lists (in the release namespace
// and in one extra watched namespace, leases only where the Lease lives); training with the
// kubernetes launcher only manages TrainingRuns; every other service can do nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { kubeConfig, uniq, waitForDefaultServiceAccount } from '../../../infra/k8s/test/kube';
import { apply, ofKind, render } from './chart';
import { granted, key, type Permission, readRbacMd } from './rbac-md';

const ns = uniq('crucible-rbac');
const watched = uniq('crucible-rbac-watched');
const elsewhere = uniq('crucible-rbac-elsewhere');
const release = 'crucible';
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
// What the cluster grants every authenticated identity (system:basic-user's self-reviews, and on
// newer clusters e.g. ClusterTrustBundle reads) is measured on the namespace's `default`
// ServiceAccount, which the chart binds to nothing, and left out of every comparison.
let baseline: Set<string>;

let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let docs: k8s.KubernetesObject[];
const authz = new Map<string, k8s.AuthorizationV1Api>();

const saName = (component: string) => `${release}-${component}`;

beforeAll(async () => {
  kc = await kubeConfig();
  core = kc.makeApiClient(k8s.CoreV1Api);
  const objs = k8s.KubernetesObjectApi.makeApiClient(kc);
  for (const n of [ns, watched, elsewhere]) await core.createNamespace({ body: { metadata: { name: n } } });
  await waitForDefaultServiceAccount(core, ns);
  docs = (await render({ namespace: ns, release, set: [`operator.watchNamespaces={${watched}}`] })).docs;
  for (const d of docs.filter((x) => ['ServiceAccount', 'Role', 'RoleBinding'].includes(x.kind!))) {
    await apply(kc, objs, { ...d, metadata: { ...d.metadata, namespace: d.metadata!.namespace ?? ns } }, 'crucible-rbac-test');
  }
  const identities = ofKind<k8s.V1ServiceAccount>(docs, 'ServiceAccount').map((sa) => [sa.metadata!.labels!['app.kubernetes.io/component']!, sa.metadata!.name!]);
  for (const [component, name] of [...identities, ['baseline', 'default']]) authz.set(component!, await clientAs(name!));
  baseline = new Set(await rawRules('baseline', ns));
}, 300_000);

/** An authorization client that authenticates with a TokenRequest token of the ServiceAccount. */
async function clientAs(serviceAccount: string): Promise<k8s.AuthorizationV1Api> {
  const tr = await core.createNamespacedServiceAccountToken({ namespace: ns, name: serviceAccount, body: { spec: { audiences: [], expirationSeconds: 600 } } });
  const cluster = kc.getCurrentCluster()!;
  const saKc = new k8s.KubeConfig();
  saKc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: serviceAccount, token: tr.status!.token }],
    contexts: [{ name: 'sa', cluster: cluster.name, user: serviceAccount }],
    currentContext: 'sa',
  });
  return saKc.makeApiClient(k8s.AuthorizationV1Api);
}

const clusterScoped: k8s.KubernetesObject[] = [];

afterAll(async () => {
  const objs = kc && k8s.KubernetesObjectApi.makeApiClient(kc);
  for (const o of clusterScoped) await objs?.delete(o).catch(() => undefined);
  for (const n of [ns, watched, elsewhere]) await core?.deleteNamespace({ name: n }).catch(() => undefined);
});

const CLUSTER_WIDE = null;

/** SelfSubjectAccessReview sent with the component's own token; CLUSTER_WIDE asks about every namespace. */
async function can(component: string, p: Permission, namespace: string | null = ns): Promise<boolean> {
  const [resource, subresource] = p.resource.split('/');
  const r = await authz.get(component)!.createSelfSubjectAccessReview({
    body: { spec: { resourceAttributes: { group: p.group, resource, subresource, verb: p.verb, namespace: namespace ?? undefined } } },
  });
  return r.status!.allowed;
}

async function rawRules(component: string, namespace: string): Promise<string[]> {
  const r = await authz.get(component)!.createSelfSubjectRulesReview({ body: { spec: { namespace } } });
  expect(r.status!.incomplete).toBe(false);
  return [...new Set(granted(r.status!.resourceRules).map(key))].sort();
}

/** What the identity may do in a namespace, per SelfSubjectRulesReview, beyond the cluster's baseline. */
async function rulesIn(component: string, namespace: string): Promise<string[]> {
  return (await rawRules(component, namespace)).filter((k) => !baseline.has(k));
}

const rbacMd = () => readRbacMd();
const isLease = (p: Permission) => p.resource === 'leases';

describe('chart RBAC as each ServiceAccount sees it', { timeout: 120_000 }, () => {
  it('the baseline is what every identity may do anyway: asking about itself, nothing about workloads or secrets', () => {
    expect([...baseline]).toContain('authorization.k8s.io/selfsubjectaccessreviews:create');
    expect([...baseline].filter((k) => /secrets|pods|configmaps|crucible\.dev|jobs|deployments/.test(k))).toEqual([]);
  });

  it('the roles bound to the operator grant exactly the rows of services/operator/RBAC.md', () => {
    const bound = new Set(ofKind<k8s.V1RoleBinding>(docs, 'RoleBinding').filter((b) => b.subjects!.some((s) => s.name === saName('operator'))).map((b) => b.roleRef.name));
    const rules = ofKind<k8s.V1Role>(docs, 'Role').filter((r) => bound.has(r.metadata!.name!) && (r.metadata!.namespace ?? ns) === ns);
    const expected = rbacMd().map(key).sort();
    expect(expected.length).toBeGreaterThan(20);
    expect([...new Set(granted(rules.flatMap((r) => r.rules!)).map(key))].sort()).toEqual(expected);
  });

  it('the operator: SelfSubjectRulesReview lists exactly RBAC.md in the release namespace, the same minus leases in a watched one, nothing elsewhere', async () => {
    expect(await rulesIn('operator', ns)).toEqual(rbacMd().map(key).sort());
    expect(await rulesIn('operator', watched)).toEqual(rbacMd().filter((p) => !isLease(p)).map(key).sort());
    expect(await rulesIn('operator', elsewhere)).toEqual([]);
  });

  it('the operator: every RBAC.md permission is allowed, every other verb on those resources is denied', async () => {
    const listed = new Set(rbacMd().map(key));
    for (const resource of new Map(rbacMd().map((p) => [key({ ...p, verb: '' }), p])).values()) {
      for (const verb of VERBS) {
        const p = { ...resource, verb };
        expect(await can('operator', p), key(p)).toBe(listed.has(key(p)));
      }
    }
  });

  it('the operator: no secrets, no nodes, no CRDs, no cluster-wide access, nothing in unwatched namespaces', async () => {
    for (const verb of ['get', 'list', 'watch']) expect(await can('operator', { group: '', resource: 'secrets', verb }), `secrets ${verb}`).toBe(false);
    expect(await can('operator', { group: '', resource: 'nodes', verb: 'update' }, CLUSTER_WIDE)).toBe(false);
    expect(await can('operator', { group: '', resource: 'nodes', verb: 'list' }, CLUSTER_WIDE)).toBe(false);
    expect(await can('operator', { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', verb: 'create' }, CLUSTER_WIDE)).toBe(false);
    expect(await can('operator', { group: 'crucible.dev', resource: 'trainingruns', verb: 'list' }, CLUSTER_WIDE)).toBe(false);
    expect(await can('operator', { group: 'rbac.authorization.k8s.io', resource: 'roles', verb: 'create' })).toBe(false);
    expect(await can('operator', { group: 'batch', resource: 'jobs', verb: 'create' }, elsewhere)).toBe(false);
    expect(await can('operator', { group: 'batch', resource: 'jobs', verb: 'create' }, watched)).toBe(true);
    expect(await can('operator', { group: 'coordination.k8s.io', resource: 'leases', verb: 'update' }, watched)).toBe(false);
  });

  it('training (launcher=kubernetes): create, get, list, watch, patch (suspend) and delete TrainingRuns in its namespace, nothing else', async () => {
    const allowed = ['create', 'get', 'list', 'watch', 'patch', 'delete'];
    expect(await rulesIn('training', ns)).toEqual(allowed.map((verb) => key({ group: 'crucible.dev', resource: 'trainingruns', verb })).sort());
    for (const verb of VERBS) expect(await can('training', { group: 'crucible.dev', resource: 'trainingruns', verb }), verb).toBe(allowed.includes(verb));
    expect(await can('training', { group: 'crucible.dev', resource: 'trainingruns/status', verb: 'update' })).toBe(false);
    expect(await can('training', { group: 'crucible.dev', resource: 'modeldeployments', verb: 'create' })).toBe(false);
    expect(await can('training', { group: 'batch', resource: 'jobs', verb: 'create' })).toBe(false);
    expect(await can('training', { group: 'crucible.dev', resource: 'trainingruns', verb: 'create' }, watched)).toBe(false);
  });

  it.each(['ingestion', 'cleaning', 'tokenization', 'evaluation', 'safety', 'serving', 'trainer'])('%s can do nothing with the Kubernetes API', async (component) => {
    expect(authz.has(component), `a ServiceAccount for ${component}`).toBe(true);
    expect(await rulesIn(component, ns)).toEqual([]);
    for (const p of [
      { group: '', resource: 'secrets', verb: 'list' },
      { group: '', resource: 'configmaps', verb: 'get' },
      { group: '', resource: 'pods', verb: 'list' },
      { group: 'crucible.dev', resource: 'trainingruns', verb: 'create' },
    ])
      expect(await can(component, p), key(p)).toBe(false);
    expect(await can(component, { group: '', resource: 'nodes', verb: 'update' }, CLUSTER_WIDE)).toBe(false);
  });

  it('operator.watchAllNamespaces: the same rules as a ClusterRole, still no secrets or nodes, leases only in the release namespace', async () => {
    const objs = k8s.KubernetesObjectApi.makeApiClient(kc);
    const cw = (await render({ namespace: ns, release: 'crucible-cw', set: ['operator.watchAllNamespaces=true'] })).docs;
    const wanted = cw.filter((d) => ['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].includes(d.kind!) && d.metadata!.name!.includes('operator'));
    expect(wanted.map((d) => d.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ServiceAccount']);
    for (const d of wanted) {
      if (d.kind!.startsWith('Cluster')) clusterScoped.push(d);
      await apply(kc, objs, d.kind!.startsWith('Cluster') ? d : { ...d, metadata: { ...d.metadata, namespace: d.metadata!.namespace ?? ns } }, 'crucible-rbac-test');
    }
    authz.set('operator-cw', await clientAs('crucible-cw-operator'));
    const clusterRole = ofKind<k8s.V1ClusterRole>(cw, 'ClusterRole')[0]!;
    expect([...new Set(granted(clusterRole.rules!).map(key))].sort()).toEqual(rbacMd().filter((p) => !isLease(p)).map(key).sort());
    expect(await can('operator-cw', { group: 'crucible.dev', resource: 'trainingruns', verb: 'watch' }, CLUSTER_WIDE)).toBe(true);
    expect(await can('operator-cw', { group: 'batch', resource: 'jobs', verb: 'create' }, elsewhere)).toBe(true);
    expect(await can('operator-cw', { group: '', resource: 'secrets', verb: 'list' }, CLUSTER_WIDE)).toBe(false);
    expect(await can('operator-cw', { group: '', resource: 'nodes', verb: 'update' }, CLUSTER_WIDE)).toBe(false);
    expect(await can('operator-cw', { group: 'coordination.k8s.io', resource: 'leases', verb: 'update' }, elsewhere)).toBe(false);
    expect(await can('operator-cw', { group: 'coordination.k8s.io', resource: 'leases', verb: 'update' })).toBe(true);
  });
});
