/**
 * The environment a rendered Deployment's container would see: its envFrom ConfigMaps, then
 * its env (later wins, as in Kubernetes). Secret references resolve against Secrets in the
 * render, or to a placeholder when values name an existing Secret; field references to a
 * stand-in pod name.
 */
import type * as k8s from '@kubernetes/client-node';

/** The chart's components, in the order of templates/_helpers.tpl "crucible.components". */
export const SERVICE_COMPONENTS = ['ingestion', 'cleaning', 'tokenization', 'training', 'evaluation', 'safety', 'serving', 'operator'] as const;

const EXISTING_SECRET_VALUE = 'value-from-an-existing-secret';

export function renderedEnv(docs: readonly k8s.KubernetesObject[], component: string): Record<string, string> {
  const deployment = docs.find((d) => d.kind === 'Deployment' && d.metadata?.labels?.['app.kubernetes.io/component'] === component) as k8s.V1Deployment | undefined;
  if (!deployment) throw new Error(`no Deployment for ${component}`);
  return containerEnv(docs, deployment.spec!.template.spec!.containers[0]!, `${component}-pod-0`);
}

/**
 * The environment of any container (e.g. one the operator builds) against the objects of a
 * render: envFrom ConfigMaps, then env with Secret/ConfigMap references resolved; a field
 * reference becomes `podName`.
 */
export function containerEnv(docs: readonly k8s.KubernetesObject[], container: k8s.V1Container, podName: string): Record<string, string> {
  const find = <T>(kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata?.name === name) as T | undefined;
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const cm = from.configMapRef && find<k8s.V1ConfigMap>('ConfigMap', from.configMapRef.name!);
    Object.assign(env, cm?.data ?? {});
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.secretKeyRef) {
      const ref = e.valueFrom.secretKeyRef;
      const secret = find<k8s.V1Secret>('Secret', ref.name!);
      const plain = secret?.stringData?.[ref.key] ?? (secret?.data?.[ref.key] ? Buffer.from(secret.data[ref.key]!, 'base64').toString() : undefined);
      env[e.name] = plain ?? EXISTING_SECRET_VALUE;
    } else if (e.valueFrom?.fieldRef) env[e.name] = podName;
    else if (e.valueFrom?.configMapKeyRef) env[e.name] = find<k8s.V1ConfigMap>('ConfigMap', e.valueFrom.configMapKeyRef.name!)?.data?.[e.valueFrom.configMapKeyRef.key] ?? '';
  }
  return env;
}
