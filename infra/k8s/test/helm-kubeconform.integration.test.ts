// helm + kubeconform + server-side dry run against the local control plane (or KUBECONFIG).
// The chart in fixtures/chart is rendered with the server's Kubernetes version, validated
// by kubeconform against schemas generated from THIS server's OpenAPI (built-ins + CRDs,
// never downloaded), then sent to the apiserver with dryRun=All (create and server-side apply).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { kubeConfig, kubeconfigPath, repoRoot, statusOf, tool, uniq, until } from './kube';

const run = promisify(execFile);
const chartDir = path.join(repoRoot, 'infra/k8s/test/fixtures/chart');
const ns = uniq('crucible-helm-test');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crucible-helm-test-'));
const schemaDir = path.join(tmp, 'schemas');

let kc: k8s.KubeConfig;
let objs: k8s.KubernetesObjectApi;
let core: k8s.CoreV1Api;
let serverVersion: string;
let rendered: string;
let docs: k8s.KubernetesObject[];

// Any attempt by kubeconform to fetch a schema over the network fails fast.
const noNetEnv = { ...process.env, HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '', CRUCIBLE_SCHEMA_DIR: schemaDir };

async function kubeconform(file: string, extra: string[] = []) {
  const r = await run(tool('kubeconform'), ['-strict', '-summary', '-output', 'json', ...extra, file], { env: noNetEnv }).then(
    (o) => ({ code: 0, stdout: o.stdout }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout + e.stderr }),
  );
  return { ...r, json: JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as { resources?: Array<{ kind: string; name: string; status: string; msg: string }>; summary: Record<string, number> } };
}

beforeAll(async () => {
  kc = await kubeConfig();
  objs = k8s.KubernetesObjectApi.makeApiClient(kc);
  core = kc.makeApiClient(k8s.CoreV1Api);
  serverVersion = (await kc.makeApiClient(k8s.VersionApi).getCode()).gitVersion;
  await run(tool('install'), [], { timeout: 60 * 60_000 }); // builds helm + kubeconform on first use
  await core.createNamespace({ body: { metadata: { name: ns } } });
}, 120 * 60_000);

afterAll(async () => {
  await core?.deleteNamespace({ name: ns }).catch(() => undefined);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('helm template + kubeconform + server-side dry run', { timeout: 180_000 }, () => {
  it('renders the fixture chart with the control plane Kubernetes version', async () => {
    const out = await run(tool('helm'), ['template', 'fx', chartDir, '--namespace', ns, '--include-crds', '--kube-version', serverVersion]);
    rendered = out.stdout;
    fs.writeFileSync(path.join(tmp, 'rendered.yaml'), rendered);
    docs = k8s.loadAllYaml(rendered).filter(Boolean) as k8s.KubernetesObject[];
    expect(docs.map((d) => d.kind).sort()).toEqual(
      ['ConfigMap', 'CustomResourceDefinition', 'Deployment', 'Job', 'Role', 'RoleBinding', 'Service', 'ServiceAccount', 'Widget'].sort(),
    );
    const cm = docs.find((d) => d.kind === 'ConfigMap') as k8s.V1ConfigMap;
    expect(cm.data!.kubeVersion).toBe(serverVersion);
  });

  it('the helm wrapper defaults --kube-version to the pinned control plane version', async () => {
    const out = await run(tool('helm'), ['template', 'fx', chartDir, '--show-only', 'templates/configmap.yaml']);
    const versionsSh = fs.readFileSync(path.join(repoRoot, 'infra/k8s/versions.sh'), 'utf8');
    const pinned = /K8S_VERSION="\$\{CRUCIBLE_K8S_VERSION:-(v[0-9.]+)\}"/.exec(versionsSh)![1];
    expect(out.stdout).toContain(`kubeVersion: "${pinned}"`);
  });

  it('validates every rendered object with kubeconform against schemas generated from the server', async () => {
    // helm installs crds/ before templates; do the same so the server publishes the Widget schema.
    const crd = docs.find((d) => d.kind === 'CustomResourceDefinition')!;
    await objs.create(crd).catch((e: unknown) => {
      if (statusOf(e) !== 409) throw e;
    });
    await until('Widget CRD Established', async () => {
      const c = (await objs.read({ apiVersion: crd.apiVersion!, kind: crd.kind!, metadata: { name: crd.metadata!.name! } })) as k8s.V1CustomResourceDefinition;
      return c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True');
    });
    // The aggregated OpenAPI document picks up new CRDs asynchronously: regenerate until Widget is there.
    await until(
      'widget schema in /openapi/v2',
      async () => {
        await run(tool('gen-schemas'), ['--out', schemaDir], { env: { ...process.env, KUBECONFIG: await kubeconfigPath() } });
        const kv = fs.readFileSync(path.join(schemaDir, 'kubernetes-version'), 'utf8').trim();
        return fs.existsSync(path.join(schemaDir, `v${kv}-standalone-strict`, 'widget-fixture-v1alpha1.json'));
      },
      60_000,
      1000,
    );
    const kv = fs.readFileSync(path.join(schemaDir, 'kubernetes-version'), 'utf8').trim();
    expect(`v${kv}`).toBe(serverVersion);
    for (const f of ['deployment-apps-v1.json', 'pod-v1.json', 'customresourcedefinition-apiextensions-v1.json']) {
      expect(fs.existsSync(path.join(schemaDir, `v${kv}-standalone-strict`, f)), f).toBe(true);
    }

    const r = await kubeconform(path.join(tmp, 'rendered.yaml'));
    expect(r.json.resources?.filter((x) => x.status !== 'statusValid') ?? []).toEqual([]);
    expect(r.json.summary).toMatchObject({ valid: docs.length, invalid: 0, errors: 0, skipped: 0 });
    expect(r.code).toBe(0);
  });

  it('kubeconform rejects unknown fields, wrong types and unknown kinds (no remote fallback)', async () => {
    // Edit the rendered text (client-node's typed YAML round trip would drop unknown fields).
    let text = rendered;
    const withTypo = text.replace(/^(  replicas: \d+)$/m, '$1\n  replicass: 3');
    expect(withTypo).not.toBe(text);
    text = withTypo.replace(/^(  size: )\d+$/m, '$1big');
    text += `---\napiVersion: nonexistent.crucible.dev/v1\nkind: Phantom\nmetadata:\n  name: p\n  namespace: ${ns}\n`;
    const file = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(file, text);
    const r = await kubeconform(file);
    expect(r.code).not.toBe(0);
    const byKind = new Map((r.json.resources ?? []).map((x) => [x.kind, x]));
    expect(byKind.get('Deployment')).toMatchObject({ status: 'statusInvalid' });
    expect(byKind.get('Deployment')!.msg).toMatch(/replicass/);
    expect(byKind.get('Widget')).toMatchObject({ status: 'statusInvalid' });
    expect(byKind.get('Phantom')).toMatchObject({ status: 'statusError' });
    expect(byKind.get('Phantom')!.msg).toMatch(/could not find schema/);
    expect(r.json.summary).toMatchObject({ valid: docs.length - 2, invalid: 2, errors: 1 });
  });

  it('the apiserver accepts every rendered object with dryRun=All, and persists none of them', async () => {
    const namespaced = docs.filter((d) => d.kind !== 'CustomResourceDefinition');
    for (const d of namespaced) {
      const created = await objs.create(structuredClone(d), undefined, 'All');
      expect(created.metadata?.name, `${d.kind} create dry run`).toBe(d.metadata!.name);
      // Server-side apply, also dry run (what `kubectl apply --server-side --dry-run=server` sends).
      const applied = await objs.patch(structuredClone(d), undefined, 'All', 'crucible-test', true, k8s.PatchStrategy.ServerSideApply);
      expect(applied.metadata?.managedFields?.some((m) => m.manager === 'crucible-test'), `${d.kind} SSA dry run`).toBe(true);
    }
    // The CRD already exists: server-side apply of the same manifest is a no-op dry run.
    const crd = docs.find((d) => d.kind === 'CustomResourceDefinition')!;
    await objs.patch(structuredClone(crd), undefined, 'All', 'crucible-test', true, k8s.PatchStrategy.ServerSideApply);

    for (const d of namespaced) {
      const err = await objs.read({ apiVersion: d.apiVersion!, kind: d.kind!, metadata: { name: d.metadata!.name!, namespace: ns } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(statusOf(err), `${d.kind} must not exist after a dry run`).toBe(404);
    }

    // Server-side validation still runs on dry run.
    const badWidget = structuredClone(namespaced.find((d) => d.kind === 'Widget')!) as k8s.KubernetesObject & { spec: { size: number } };
    badWidget.spec.size = 0;
    const err = await objs.create(badWidget, undefined, 'All').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(statusOf(err)).toBe(422);
  });
});
