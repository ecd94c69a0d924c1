/**
 * ModelDeployment → the serving objects of one model version (pure): a Deployment from the
 * serving template and a Service in front of it, both owned by the ModelDeployment and
 * labelled with the version, so the operator can list and prune them. The version's
 * artifacts are at `<dataDir>/models/<model>/<n>/` on the models claim.
 *
 * The pod runs the service image's serving gateway (`CRUCIBLE_SERVICE=serving`, see
 * docker/start.cjs) pinned to its version: external rollout mode with inline routes
 * (`SERVING_ROUTES`, services/serving/README.md) sending the bare model name to this version
 * only. The template's `serving.env` comes last and overrides the defaults here (data dir,
 * host), except the variables that pin the version and tie the port to the probes.
 */
import type * as k8s from '@kubernetes/client-node';
import { API_VERSION, type ModelDeployment } from '@crucible/crds';
import { MANAGED_BY, MODEL_DEPLOYMENT_LABEL, VERSION_LABEL, dnsName, labelValue, versionLabel } from '../training-run/labels';
import { ownerReference } from '../training-run/training-job.builder';

export const SERVING_CONTAINER = 'serving';
export const DEFAULT_SERVING_PORT = 8080;
/** The models claim's mount, and the gateway's CRUCIBLE_DATA_DIR. */
export const MODELS_MOUNT = '/data';
/** Set by the operator whatever the template says: they make the pod this version's gateway on `serving.port`. */
const OPERATOR_OWNED_ENV = new Set(['CRUCIBLE_SERVICE', 'SERVING_ROLLOUT', 'SERVING_ROUTES', 'SERVING_ROUTING_FILE', 'HTTP_PORT']);

export const workloadNameOf = (md: ModelDeployment, versionId: string) => dnsName(md.metadata.name, versionId.replace('@', '-v'));

export function versionLabels(md: ModelDeployment, versionId: string): Record<string, string> {
  return { ...MANAGED_BY, [MODEL_DEPLOYMENT_LABEL]: labelValue(md.metadata.name), [VERSION_LABEL]: versionLabel(versionId) };
}

export function buildServingDeployment(md: ModelDeployment, versionId: string): k8s.V1Deployment {
  const { serving } = md.spec;
  const labels = versionLabels(md, versionId);
  const port = serving.port ?? DEFAULT_SERVING_PORT;
  const [model] = versionId.split('@') as [string, string];
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};
  if (serving.resources?.cpu) requests.cpu = serving.resources.cpu;
  if (serving.resources?.memory) {
    requests.memory = serving.resources.memory;
    limits.memory = serving.resources.memory;
  }
  if (serving.resources?.gpus) limits['nvidia.com/gpu'] = String(serving.resources.gpus);
  const template = (serving.env ?? []).filter((e) => !OPERATOR_OWNED_ENV.has(e.name));
  const overridden = new Set(template.map((e) => e.name));
  const env: k8s.V1EnvVar[] = [
    ...[
      { name: 'CRUCIBLE_SERVICE', value: 'serving' },
      { name: 'SERVING_ROLLOUT', value: 'external' },
      { name: 'SERVING_ROUTES', value: JSON.stringify({ [model]: [{ version: versionId, weight: 100 }] }) },
      { name: 'CRUCIBLE_DATA_DIR', value: MODELS_MOUNT },
      { name: 'HTTP_HOST', value: '0.0.0.0' },
      { name: 'HTTP_PORT', value: String(port) },
    ].filter((e) => !overridden.has(e.name)),
    ...template,
  ];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: workloadNameOf(md, versionId), namespace: md.metadata.namespace, labels, ownerReferences: [ownerReference({ ...md, apiVersion: API_VERSION })] },
    spec: {
      replicas: serving.replicas ?? 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          ...(serving.resources?.gpus ? { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] } : {}),
          ...(serving.modelsClaimName ? { volumes: [{ name: 'models', persistentVolumeClaim: { claimName: serving.modelsClaimName, readOnly: true } }] } : {}),
          containers: [
            {
              name: SERVING_CONTAINER,
              image: serving.image,
              env,
              ports: [{ name: 'http', containerPort: port }],
              ...(Object.keys(requests).length || Object.keys(limits).length
                ? { resources: { ...(Object.keys(requests).length ? { requests } : {}), ...(Object.keys(limits).length ? { limits } : {}) } }
                : {}),
              ...(serving.modelsClaimName ? { volumeMounts: [{ name: 'models', mountPath: MODELS_MOUNT, readOnly: true }] } : {}),
              // As the chart's service Deployments (libs/service-kit health.controller.ts): the
              // startup probe gives the version's model time to load before liveness counts.
              startupProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 2, failureThreshold: 60 },
              livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
              readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 },
            },
          ],
        },
      },
    },
  };
}

export function buildServingService(md: ModelDeployment, versionId: string): k8s.V1Service {
  const labels = versionLabels(md, versionId);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: workloadNameOf(md, versionId), namespace: md.metadata.namespace, labels, ownerReferences: [ownerReference({ ...md, apiVersion: API_VERSION })] },
    spec: { selector: labels, ports: [{ name: 'http', port: md.spec.serving.port ?? DEFAULT_SERVING_PORT, targetPort: 'http' }] },
  };
}
