/**
 * Test fixture for the operator's integration suites: the real control plane from infra/
 * (ensureKube), the generated CRDs installed (create or replace, then wait until served),
 * a fresh namespace per suite, and helpers to poll, to create and read crucible.dev objects,
 * and to start operators in-process.
 */
import * as k8s from '@kubernetes/client-node';
import { GROUP, type NamedResource, VERSION, crdFiles } from '@crucible/crds';
import { createLogger } from '@crucible/service-kit';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { statusOf } from '../kube/kube-api';
import { Operator, type OperatorOptions } from '../operator';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const uniq = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/** Polls `fn` until it returns something truthy; fails with the last value/error on timeout. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false | null>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await sleep(everyMs);
  }
}

const REPO_ROOT = path.resolve(__dirname, '../../../..');
let kubeconfig: Promise<string> | undefined;

/**
 * KUBECONFIG when set, else `infra/k8s/up` (idempotent: starts or reuses the control plane and
 * prints the kubeconfig path last) — what @crucible/infra-testing's ensureKube does, which a
 * service may not import (module boundaries).
 */
export function kubeconfigPath(): Promise<string> {
  if (process.env.KUBECONFIG) return Promise.resolve(process.env.KUBECONFIG);
  kubeconfig ??= new Promise((resolve, reject) =>
    execFile(path.join(REPO_ROOT, 'infra/k8s/up'), { timeout: 90 * 60_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`infra/k8s/up failed: ${stderr || error.message}`));
      resolve(stdout.trim().split('\n').at(-1)!.trim());
    }),
  );
  return kubeconfig;
}

export async function kubeConfig(): Promise<k8s.KubeConfig> {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(await kubeconfigPath());
  return kc;
}

/** Installs (or updates) the crucible.dev CRDs and waits until both are served. */
export async function installCrds(kc: k8s.KubeConfig): Promise<void> {
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  for (const crd of Object.values(crdFiles()) as unknown as k8s.V1CustomResourceDefinition[]) {
    const name = crd.metadata!.name!;
    try {
      await ext.createCustomResourceDefinition({ body: crd });
    } catch (e) {
      if (statusOf(e) !== 409) throw e;
      const current = await ext.readCustomResourceDefinition({ name });
      if (JSON.stringify(current.spec.versions[0]?.schema) !== JSON.stringify(crd.spec.versions[0]?.schema) || JSON.stringify(current.spec.versions[0]?.additionalPrinterColumns) !== JSON.stringify(crd.spec.versions[0]?.additionalPrinterColumns)) {
        await ext.replaceCustomResourceDefinition({ name, body: { ...crd, metadata: { ...crd.metadata, resourceVersion: current.metadata!.resourceVersion! } } });
      }
    }
    await until(`${name} served`, () => custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: crd.spec.names.plural }).then(() => true), 30_000);
  }
}

export async function createNamespace(kc: k8s.KubeConfig, prefix: string): Promise<string> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const ns = uniq(prefix);
  await core.createNamespace({ body: { metadata: { name: ns } } });
  await until(`default ServiceAccount in ${ns}`, () => core.readNamespacedServiceAccount({ name: 'default', namespace: ns }).then(() => true), 60_000);
  return ns;
}

/** What every operator suite starts from: the kubeconfig, the CRDs installed, and a fresh namespace named after `prefix`. */
export async function kubeSuite(prefix: string): Promise<{ kc: k8s.KubeConfig; ns: string }> {
  const kc = await kubeConfig();
  await installCrds(kc);
  return { kc, ns: await createNamespace(kc, prefix) };
}

export async function deleteNamespace(kc: k8s.KubeConfig, ns: string): Promise<void> {
  await kc.makeApiClient(k8s.CoreV1Api).deleteNamespace({ name: ns }).catch(() => undefined);
}

/** Creates a crucible.dev object of `resource`'s kind named `name` in `ns`; the apiserver fills the CRD's defaults. */
export function createCrucibleObject(custom: k8s.CustomObjectsApi, ns: string, resource: NamedResource, name: string, spec: object): Promise<object> {
  return custom.createNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace: ns,
    plural: resource.plural,
    body: { apiVersion: `${GROUP}/${VERSION}`, kind: resource.kind, metadata: { name }, spec },
  }) as Promise<object>;
}

export function getCrucibleObject<T>(custom: k8s.CustomObjectsApi, ns: string, resource: NamedResource, name: string): Promise<T> {
  return custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: resource.plural, name }) as Promise<T>;
}

export const testLogger = (name = 'operator-test') => createLogger(name, process.env.OPERATOR_TEST_LOG ?? 'silent');

export function testOperator(kc: k8s.KubeConfig, ns: string, extra: Partial<OperatorOptions> = {}): Operator {
  return new Operator({
    kc,
    namespaces: [ns],
    identity: uniq('op'),
    jobContext: { defaults: { image: 'registry.example.invalid/trainer:1' }, busEnv: { CRUCIBLE_BUS: 'kafka', KAFKA_BROKERS: 'kafka:9092' } },
    routingConfigMap: 'crucible-routing',
    resyncMs: 5_000,
    analysisIntervalMs: 500,
    workers: 2,
    logger: testLogger(),
    onLostLeadership: () => undefined,
    ...extra,
  });
}

/** Events recorded on an object, as `reason: message`. */
export async function eventsFor(kc: k8s.KubeConfig, ns: string, name: string): Promise<Array<{ reason: string; message: string; type: string; count: number }>> {
  const list = await kc.makeApiClient(k8s.CoreV1Api).listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${name}` });
  return list.items.map((e) => ({ reason: e.reason ?? '', message: e.message ?? '', type: e.type ?? '', count: e.count ?? 1 }));
}
