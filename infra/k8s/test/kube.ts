// Helpers for infra/k8s integration tests. The cluster comes from the shared test helper
// (infra/testing ensureKube): KUBECONFIG if set, else infra/k8s/up (idempotent; the first
// run builds the binaries, later runs start or reuse the processes), whose last stdout
// line is the kubeconfig path.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';
import { ensureKube } from '../../testing/src/kube';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const tool = (name: string) => path.join(repoRoot, 'infra/tools', name);

export async function kubeconfigPath(): Promise<string> {
  return (await ensureKube()).kubeconfig;
}

export async function kubeConfig(): Promise<k8s.KubeConfig> {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(await kubeconfigPath());
  return kc;
}

export const uniq = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll fn until it returns a truthy value (or throws on timeout with the last error). */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false | null>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(everyMs);
  }
}

/** HTTP status of a client-node ApiException (undefined for other errors). */
export function statusOf(e: unknown): number | undefined {
  const c = (e as { code?: unknown })?.code;
  return typeof c === 'number' ? c : undefined;
}

/** Wait until the namespace's `default` ServiceAccount exists (created by kube-controller-manager). */
export async function waitForDefaultServiceAccount(core: k8s.CoreV1Api, namespace: string): Promise<void> {
  await until(`default ServiceAccount in ${namespace}`, () => core.readNamespacedServiceAccount({ name: 'default', namespace }).then(() => true), 60_000);
}
