/**
 * Kubernetes control plane for integration suites: find (KUBECONFIG) or start
 * (infra/k8s/up, owned by the k8s engineers; it prints the kubeconfig path last).
 */
import { readOverrides } from './config';
import { runLauncher } from './launcher';

/** The first run builds etcd and the kube binaries from Go modules on 2 cores. */
const KUBE_UP_TIMEOUT_MS = 90 * 60_000;

export interface KubeConnection {
  readonly kubeconfig: string;
}

let started: Promise<KubeConnection> | undefined;

export function ensureKube(): Promise<KubeConnection> {
  const { kubeconfig } = readOverrides();
  if (kubeconfig) return Promise.resolve({ kubeconfig });
  started ??= runLauncher('k8s', { timeoutMs: KUBE_UP_TIMEOUT_MS }).then((path) => ({ kubeconfig: path }));
  return started;
}
