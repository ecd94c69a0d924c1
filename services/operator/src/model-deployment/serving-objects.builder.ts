/**
 * ModelDeployment → the serving objects of one model version (pure): a Deployment from the
 * serving template and a Service in front of it, both owned by the ModelDeployment and
 * labelled with the version, so the operator can list and prune them. The version's
 * artifacts are at `<dataDir>/models/<model>/<n>/` on the models claim.
 *
 * The pod runs the service image's serving gateway (`CRUCIBLE_SERVICE=serving`, see
 * docker/start.cjs) pinned to its version: external rollout mode with inline routes
 * (`SERVING_ROUTES`, services/serving/README.md) sending the bare model name to this version
 * only. Environment, in increasing precedence: the defaults here (data dir, host), the
 * chart's serving defaults (OPERATOR_SERVING_DEFAULTS_FILE: the gateway's ConfigMaps through
 * `envFrom`, Secret references for the registry DSN, key pepper, admin token and SASL
 * credentials, the Kafka CA mount), then the resource's `serving.env` / `envFrom` / `mounts` —
 * except the variables that pin the version and tie the port to the probes. Secrets are only
 * ever referenced. The pod carries the chart's restricted security context (kube/pod-template.ts).
 */
import type * as k8s from '@kubernetes/client-node';
import { API_VERSION, type ModelDeployment } from '@crucible/crds';
import { MANAGED_BY, MODEL_DEPLOYMENT_LABEL, VERSION_LABEL, dnsName, labelValue, versionLabel } from '../training-run/labels';
import { ownerReference } from '../training-run/training-job.builder';
import { containerSecurityContext, fileMounts, overlayEnv, podEnvProblems, podSecurityContext, tmpMount, tmpVolume, toEnvFrom, toEnvVar } from '../kube/pod-template';
import type { ServingPodDefaults } from './serving-pod-defaults';

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

export function buildServingDeployment(md: ModelDeployment, versionId: string, defaults: ServingPodDefaults = {}): k8s.V1Deployment {
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
  const problems = podEnvProblems({ env: [...(defaults.env ?? []), ...(serving.env ?? [])], envFrom: [...(defaults.envFrom ?? []), ...(serving.envFrom ?? [])], mounts: [...(defaults.mounts ?? []), ...(serving.mounts ?? [])] });
  if (problems.length) throw new Error(`ModelDeployment ${md.metadata.namespace}/${md.metadata.name}: ${problems.join('; ')}`);
  const template = overlayEnv((defaults.env ?? []).map(toEnvVar), (serving.env ?? []).map(toEnvVar)).filter((e) => !OPERATOR_OWNED_ENV.has(e.name));
  const env = overlayEnv(
    [
      { name: 'CRUCIBLE_SERVICE', value: 'serving' },
      { name: 'SERVING_ROLLOUT', value: 'external' },
      { name: 'SERVING_ROUTES', value: JSON.stringify({ [model]: [{ version: versionId, weight: 100 }] }) },
      { name: 'CRUCIBLE_DATA_DIR', value: MODELS_MOUNT },
      { name: 'HTTP_HOST', value: '0.0.0.0' },
      { name: 'HTTP_PORT', value: String(port) },
    ],
    template,
  );
  // env wins over envFrom in Kubernetes, so the pinned variables above win over the ConfigMaps; a
  // routing file one of them may name (the chart gateway's) is cleared, the pin being the routes.
  const envFrom = [...(defaults.envFrom ?? []), ...(serving.envFrom ?? [])].map(toEnvFrom);
  if (envFrom.length) env.splice(3, 0, { name: 'SERVING_ROUTING_FILE', value: '' });
  const files = fileMounts([...(defaults.mounts ?? []), ...(serving.mounts ?? [])]);
  const pullSecrets = (defaults.imagePullSecrets ?? []).map((s) => (typeof s === 'string' ? { name: s } : s));
  const volumes: k8s.V1Volume[] = [
    tmpVolume(),
    ...(serving.modelsClaimName ? [{ name: 'models', persistentVolumeClaim: { claimName: serving.modelsClaimName, readOnly: true } }] : []),
    ...files.volumes,
  ];
  const volumeMounts: k8s.V1VolumeMount[] = [
    tmpMount(),
    ...(serving.modelsClaimName ? [{ name: 'models', mountPath: MODELS_MOUNT, readOnly: true }] : []),
    ...files.volumeMounts,
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
          ...(defaults.serviceAccountName ? { serviceAccountName: defaults.serviceAccountName } : {}),
          // The gateway never calls the Kubernetes API.
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurityContext(defaults.securityContext),
          ...(pullSecrets.length ? { imagePullSecrets: pullSecrets } : {}),
          ...(serving.resources?.gpus ? { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] } : {}),
          volumes,
          containers: [
            {
              name: SERVING_CONTAINER,
              image: serving.image,
              ...(defaults.imagePullPolicy ? { imagePullPolicy: defaults.imagePullPolicy } : {}),
              ...(envFrom.length ? { envFrom } : {}),
              env,
              ports: [{ name: 'http', containerPort: port }],
              ...(Object.keys(requests).length || Object.keys(limits).length
                ? { resources: { ...(Object.keys(requests).length ? { requests } : {}), ...(Object.keys(limits).length ? { limits } : {}) } }
                : {}),
              volumeMounts,
              securityContext: containerSecurityContext(),
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
