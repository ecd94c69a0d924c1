// A real `helm install`, `helm upgrade` and `helm uninstall` of helm/crucible against the
// control plane (no dry run): what only Helm's own release flow shows — the gateway's
// generated pepper and admin token survive an upgrade (looked up from the live Secret), a
// config change rolls the pods (checksum annotation), and uninstall keeps the volumes.
// Pods are scheduled onto kwok's nodes but never run; readiness is not waited for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { kubeConfig, kubeconfigPath, statusOf, uniq } from '../../../infra/k8s/test/kube';
import { chartDir, helm } from './chart';

const ns = uniq('crucible-install');
const release = 'crucible';
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
let kubeconfig: string;

const helmIn = async (...args: string[]) => {
  const r = await helm([...args, '--namespace', ns, '--kubeconfig', kubeconfig]);
  if (r.code !== 0) throw new Error(`helm ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
};
const servingSecret = async () => (await core.readNamespacedSecret({ name: `${release}-serving`, namespace: ns })).data!;
const podChecksum = async (component: string) =>
  (await apps.readNamespacedDeployment({ name: `${release}-${component}`, namespace: ns })).spec!.template.metadata!.annotations!['checksum/config'];

beforeAll(async () => {
  const kc = await kubeConfig();
  kubeconfig = await kubeconfigPath();
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
}, 300_000);

afterAll(async () => {
  await core?.deleteNamespace({ name: ns }).catch(() => undefined);
});

describe('helm install / upgrade / uninstall', { timeout: 300_000 }, () => {
  let pepper: string;
  let adminToken: string;
  let checksum: string | undefined;

  it('installs, printing NOTES with the gateway and the curl calls', async () => {
    const out = await helmIn('install', release, chartDir);
    expect(out).toContain('STATUS: deployed');
    expect(out).toContain(`kubectl port-forward -n ${ns} svc/${release}-serving 8080:80`);
    expect(out).toMatch(/curl -fsS -H "Authorization: Bearer \$OPENAI_API_KEY" \$CRUCIBLE_URL\/v1\/models/);
    const deployments = await apps.listNamespacedDeployment({ namespace: ns });
    expect(deployments.items.map((d) => d.metadata!.name).sort()).toEqual(
      ['cleaning', 'evaluation', 'ingestion', 'operator', 'safety', 'serving', 'tokenization', 'training'].map((c) => `${release}-${c}`),
    );
    const secret = await servingSecret();
    pepper = secret['key-pepper']!;
    adminToken = secret['admin-token']!;
    expect(Buffer.from(pepper, 'base64').toString()).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(Buffer.from(adminToken, 'base64').toString()).toMatch(/^[A-Za-z0-9]{48}$/);
    checksum = await podChecksum('cleaning');
  });

  it('upgrade keeps the generated pepper and admin token, and rolls pods whose config changed', async () => {
    await helmIn('upgrade', release, chartDir, '--reuse-values', '--set', 'logLevel=debug');
    const secret = await servingSecret();
    expect(secret['key-pepper']).toBe(pepper);
    expect(secret['admin-token']).toBe(adminToken);
    const common = await core.readNamespacedConfigMap({ name: `${release}-common`, namespace: ns });
    expect(common.data!.LOG_LEVEL).toBe('debug');
    expect(await podChecksum('cleaning')).not.toBe(checksum);
  });

  it('uninstall removes the workloads and Secrets but keeps the volumes', async () => {
    await helmIn('uninstall', release, '--wait');
    expect((await apps.listNamespacedDeployment({ namespace: ns })).items).toEqual([]);
    const gone = await core.readNamespacedSecret({ name: `${release}-serving`, namespace: ns }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(statusOf(gone)).toBe(404);
    const claims = await core.listNamespacedPersistentVolumeClaim({ namespace: ns });
    expect(claims.items.map((c) => c.metadata!.name).sort()).toEqual([`${release}-checkpoints`, `${release}-cleaning-index`, `${release}-data`]);
  });
});
