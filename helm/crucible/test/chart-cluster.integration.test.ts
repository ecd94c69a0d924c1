// helm/crucible against the real control plane (infra/k8s, or KUBECONFIG): the chart's CRDs
// (whatever helm/crucible/crds holds at run time) are installed for real; the chart rendered
// with default and with maximal values is validated by kubeconform -strict against schemas
// generated from this apiserver's OpenAPI plus schemas converted here from the CRD YAML
// (nothing downloaded); then every object goes to the apiserver with dryRun=All.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { kubeConfig, kubeconfigPath, tool, uniq, until } from '../../../infra/k8s/test/kube';
import { apply, chartCrds, dryRun, exec, fixture, kubeconform, loadDocs, maximalValues, kubeRequest, objectPath, ofKind, render, writeCrdSchemas } from './chart';

const ns = uniq('crucible-chart');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crucible-chart-'));
const schemaDir = path.join(tmp, 'schemas');
const strimziCrdFile = fixture('strimzi-kafkatopic-crd.yaml');
const customResourcesFile = fixture('custom-resources.yaml');
const CLUSTER_SCOPED = new Set(['CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'Namespace']);

let kc: k8s.KubeConfig;
let objs: k8s.KubernetesObjectApi;
let core: k8s.CoreV1Api;
let serverVersion: string;
let crds: k8s.V1CustomResourceDefinition[];
const renders: Record<'default' | 'maximal', { file: string; docs: k8s.KubernetesObject[] }> = {} as never;

beforeAll(async () => {
  kc = await kubeConfig();
  objs = k8s.KubernetesObjectApi.makeApiClient(kc);
  core = kc.makeApiClient(k8s.CoreV1Api);
  serverVersion = (await kc.makeApiClient(k8s.VersionApi).getCode()).gitVersion;
  await exec(tool('install'), []);
  await core.createNamespace({ body: { metadata: { name: ns } } });
  for (const [which, valuesFiles] of [['default', []], ['maximal', [maximalValues]]] as const) {
    const r = await render({ namespace: ns, valuesFiles, kubeVersion: serverVersion });
    const file = path.join(tmp, `${which}.yaml`);
    fs.writeFileSync(file, r.text);
    renders[which] = { file, docs: r.docs };
  }
  // The chart's own CRDs plus the Strimzi KafkaTopic CRD its optional topics need.
  crds = [...chartCrds(), ...(loadDocs(fs.readFileSync(strimziCrdFile, 'utf8')) as k8s.V1CustomResourceDefinition[])];
}, 60 * 60_000);

afterAll(async () => {
  await core?.deleteNamespace({ name: ns }).catch(() => undefined);
  fs.rmSync(tmp, { recursive: true, force: true });
});

const inNamespace = (d: k8s.KubernetesObject): k8s.KubernetesObject =>
  CLUSTER_SCOPED.has(d.kind!) ? structuredClone(d) : { ...structuredClone(d), metadata: { ...d.metadata, namespace: d.metadata?.namespace ?? ns } };

describe('helm/crucible on the control plane', { timeout: 300_000 }, () => {
  it('renders the CRDs of helm/crucible/crds with --include-crds, and installs them for real (helm installs crds/ first)', async () => {
    const renderedCrds = ofKind<k8s.V1CustomResourceDefinition>(renders.default.docs, 'CustomResourceDefinition');
    expect(renderedCrds.map((c) => c.metadata!.name).sort()).toEqual(chartCrds().map((c) => c.metadata!.name).sort());
    for (const crd of crds) {
      // Server-side apply, not create: another run (or the operator's suite) may have installed them already.
      await apply(kc, objs, crd, 'crucible-chart-test');
      await until(`${crd.metadata!.name} Established`, async () => {
        const c = (await objs.read({ apiVersion: crd.apiVersion!, kind: crd.kind!, metadata: { name: crd.metadata!.name! } })) as k8s.V1CustomResourceDefinition;
        return c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True');
      });
    }
  });

  it('kubeconform -strict accepts both renders and the custom resources, with built-in schemas from the server and CRD schemas converted from the YAML', async () => {
    const r = await exec(tool('gen-schemas'), ['--out', schemaDir], { ...process.env, KUBECONFIG: await kubeconfigPath() });
    expect(r.code, r.stderr).toBe(0);
    const kubeVersion = fs.readFileSync(path.join(schemaDir, 'kubernetes-version'), 'utf8').trim();
    expect(`v${kubeVersion}`).toBe(serverVersion);
    // Overwrites whatever the server published for these kinds: the YAML is what is checked.
    const written = writeCrdSchemas(crds, schemaDir);
    expect(written).toEqual(expect.arrayContaining(['kafkatopic-kafka-v1beta2.json', ...chartCrds().map((c) => `${c.spec.names.kind}-crucible-${c.spec.versions[0]!.name}.json`.toLowerCase())]));

    for (const [which, { file, docs }] of Object.entries(renders)) {
      const res = await kubeconform(file, schemaDir);
      expect(res.resources.filter((x) => x.status !== 'statusValid'), which).toEqual([]);
      expect(res.summary, which).toMatchObject({ valid: docs.length, invalid: 0, errors: 0, skipped: 0 });
      expect(res.code, which).toBe(0);
    }
    expect(ofKind(renders.maximal.docs, 'KafkaTopic').length).toBeGreaterThan(0);
    const crs = await kubeconform(customResourcesFile, schemaDir);
    expect(crs.resources.filter((x) => x.status !== 'statusValid')).toEqual([]);
    expect(crs.summary).toMatchObject({ valid: 2, invalid: 0, errors: 0 });
  });

  it('kubeconform rejects what the apiserver rejects: a typo in a Deployment, a zero-step TrainingRun, an unknown TrainingRun field, a topic without partitions', async () => {
    let text = fs.readFileSync(renders.maximal.file, 'utf8');
    const withTypo = text.replace(/^(\s+readOnlyRootFilesystem: true)$/m, '$1\n            readOnlyRootFilesystm: true');
    expect(withTypo).not.toBe(text);
    text = withTypo.replace(/^(  partitions: )6$/m, '$10');
    const bad = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(bad, text);
    const res = await kubeconform(bad, schemaDir);
    expect(res.code).not.toBe(0);
    const invalid = res.resources.filter((x) => x.status === 'statusInvalid');
    expect(invalid.map((x) => x.kind).sort()).toEqual(['Deployment', 'KafkaTopic']);
    expect(invalid.find((x) => x.kind === 'Deployment')!.msg).toMatch(/readOnlyRootFilesystm/);

    const crText = fs.readFileSync(customResourcesFile, 'utf8');
    const zeroSteps = crText.replace('steps: 200', 'steps: 0');
    const unknownField = crText.replace('method: full', 'method: full\n  methd: lora');
    // 422: the value breaks the schema; 400: strict decoding refuses the unknown field.
    for (const [name, variant, status] of [['zero steps', zeroSteps, 422], ['unknown field', unknownField, 400]] as const) {
      expect(variant).not.toBe(crText);
      const f = path.join(tmp, `cr-${name.replace(' ', '-')}.yaml`);
      fs.writeFileSync(f, variant);
      const r = await kubeconform(f, schemaDir);
      expect(r.resources.find((x) => x.kind === 'TrainingRun'), name).toMatchObject({ status: 'statusInvalid' });
      // The apiserver agrees, even in dry run (unknown fields are refused under fieldValidation=Strict).
      const tr = loadDocs(variant).find((d) => d.kind === 'TrainingRun')!;
      const { create } = await dryRun(kc, objs, inNamespace(tr), 'crucible-chart-test');
      expect(create.status, `${name}: ${JSON.stringify(create.body.message)}`).toBe(status);
    }
  });

  it.each(['default', 'maximal'] as const)('the apiserver accepts every %s-values object with dryRun=All (create and server-side apply) and persists none', async (which) => {
    const docs = [...renders[which].docs.filter((d) => d.kind !== 'CustomResourceDefinition'), ...loadDocs(fs.readFileSync(customResourcesFile, 'utf8'))];
    for (const d of docs) {
      const o = inNamespace(d);
      const { create, apply } = await dryRun(kc, objs, o, 'crucible-chart-test');
      expect(create.status, `${d.kind}/${d.metadata!.name} create: ${JSON.stringify(create.body.message)}`).toBe(201);
      expect(apply.status, `${d.kind}/${d.metadata!.name} apply: ${JSON.stringify(apply.body.message)}`).toBeLessThan(300);
      expect((apply.body.metadata as k8s.V1ObjectMeta).managedFields?.some((m) => m.manager === 'crucible-chart-test')).toBe(true);
    }
    for (const d of docs.filter((x) => !CLUSTER_SCOPED.has(x.kind!))) {
      const o = inNamespace(d);
      const read = await kubeRequest(kc, 'GET', await objectPath(objs, o, 'read'));
      expect(read.status, `${d.kind}/${d.metadata!.name} must not exist after a dry run`).toBe(404);
    }
  });
});
