// The per-version serving Deployments that the operator creates (services/operator
// serving-objects.builder.ts) against the serving gateway's own config loader
// (services/serving/src/config.ts): the operator cannot import the serving service (module
// boundary), so the contract is held here, as chart-values holds the chart's env to each
// service. The template is the one the chart's operator builds from its rendered environment
// (services/operator/src/main.ts), bare and with the chart gateway's environment as `serving.env`;
// and, with the serving pod defaults the chart hands the operator (serving-pod-defaults.json),
// the resolved environment of a version's pod carries every setting the chart's gateway has —
// registry DSN, key pepper, admin token, Kafka brokers, SASL, TLS CA — through Secret and
// ConfigMap references only. The same for trainer pods (training-pod-defaults.json) against the
// trainer pod's config loader. An integration suite (not unit) because it renders the chart with the helm binary from infra/tools.
import { beforeAll, describe, expect, it } from 'vitest';
import type * as k8s from '@kubernetes/client-node';
import type { ModelDeployment, TrainingRun } from '@crucible/crds';
import { tool } from '../../../infra/k8s/test/kube';
import { busEnvOf, loadOperatorConfig } from '../../../services/operator/src/config';
import { MODELS_MOUNT, buildServingDeployment } from '../../../services/operator/src/model-deployment/serving-objects.builder';
import { ServingPodDefaultsSchema } from '../../../services/operator/src/model-deployment/serving-pod-defaults';
import { buildTrainingJob } from '../../../services/operator/src/training-run/training-job.builder';
import { TrainingPodDefaultsSchema } from '../../../services/operator/src/training-run/training-pod-defaults';
import { ServingServiceConfigSchema, loadServingServiceConfig, settingsFromConfig } from '../../../services/serving/src/config';
import { loadPodConfig } from '../../../services/training/src/pod/pod.config';
import { exec, maximalValues, render } from './chart';
import { containerEnv as resolvedEnv, renderedEnv } from './rendered-env';

const ns = 'crucible-operator-serving-test';
const VERSION = 'sotu@3';
// Read by the image's entry point (docker/start.cjs), not by the service's config.
const notServiceConfig = new Set(['CRUCIBLE_SERVICE', 'NODE_EXTRA_CA_CERTS']);
let byValues: Record<'default' | 'maximal', k8s.KubernetesObject[]>;

beforeAll(async () => {
  await exec(tool('install'), []); // builds helm on first use
  byValues = {
    default: (await render({ namespace: ns })).docs,
    maximal: (await render({ namespace: ns, valuesFiles: [maximalValues] })).docs,
  };
}, 60 * 60_000);

/** The ModelDeployment the chart's operator makes from `model.approved` (its serving template, as main.ts builds it). */
function approvedModelDeployment(docs: readonly k8s.KubernetesObject[], env?: ModelDeployment['spec']['serving']['env']): ModelDeployment {
  const config = loadOperatorConfig(renderedEnv(docs, 'operator'));
  return {
    apiVersion: 'crucible.dev/v1alpha1',
    kind: 'ModelDeployment',
    metadata: { name: 'sotu', namespace: ns, uid: 'u-1', generation: 1 },
    spec: {
      model: 'sotu',
      stableVersionId: VERSION,
      serving: {
        image: config.OPERATOR_SERVING_IMAGE,
        replicas: config.OPERATOR_SERVING_REPLICAS,
        ...(config.OPERATOR_MODELS_CLAIM ? { modelsClaimName: config.OPERATOR_MODELS_CLAIM } : {}),
        ...(env && { env }),
      },
    },
  };
}

/** Every variable is one the serving config reads, and its loader accepts them all; returns the parsed config. */
function expectServingAccepts(env: Record<string, string>) {
  // EXTRA_*: the maximal values' user-supplied extra variables (as in chart-values).
  const unknown = Object.keys(env).filter((k) => !(k in ServingServiceConfigSchema.shape) && !notServiceConfig.has(k) && !k.startsWith('EXTRA_'));
  expect(unknown, 'services/serving/src/config.ts does not read these').toEqual([]);
  expect(() => loadServingServiceConfig(env)).not.toThrow();
  return loadServingServiceConfig(env);
}

const containerEnv = (d: k8s.V1Deployment) => {
  const list = d.spec!.template.spec!.containers[0]!.env!;
  expect(new Set(list.map((e) => e.name)).size, 'no variable set twice').toBe(list.length);
  return Object.fromEntries(list.map((e) => [e.name, e.value!]));
};

describe.each(['default', 'maximal'] as const)('the operator’s per-version serving Deployment (%s chart values)', (which) => {
  it('runs the serving service pinned to its version, and the serving config loader accepts its env', () => {
    const d = buildServingDeployment(approvedModelDeployment(byValues[which]), VERSION);
    const env = containerEnv(d);
    expect(env.CRUCIBLE_SERVICE).toBe('serving');
    const config = expectServingAccepts(env);
    expect(settingsFromConfig(config).rollout).toMatchObject({ mode: 'external', routes: { sotu: [{ version: VERSION, weight: 100 }] } });
    expect(config.CRUCIBLE_DATA_DIR).toBe(MODELS_MOUNT);
    const c = d.spec!.template.spec!.containers[0]!;
    expect(config.HTTP_PORT).toBe(c.ports![0]!.containerPort);
    expect(c.readinessProbe!.httpGet!.path).toBe('/readyz');
    expect(c.livenessProbe!.httpGet!.path).toBe('/healthz');
    // The models claim is the chart's data claim, mounted at the data dir.
    const claim = d.spec!.template.spec!.volumes?.[0]?.persistentVolumeClaim?.claimName;
    const pvcs = byValues[which].filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata!.name);
    if (claim) expect(pvcs).toContain(claim);
    if (claim) expect(c.volumeMounts).toContainEqual({ name: 'models', mountPath: MODELS_MOUNT, readOnly: true });
  });

  it('with the chart gateway’s environment as serving.env, still pinned to its version and accepted', () => {
    const gateway = renderedEnv(byValues[which], 'serving');
    const d = buildServingDeployment(approvedModelDeployment(byValues[which], Object.entries(gateway).map(([name, value]) => ({ name, value }))), VERSION);
    const env = containerEnv(d);
    const config = expectServingAccepts(env);
    expect(config.SERVING_ROUTING_FILE).toBeUndefined();
    expect(settingsFromConfig(config).rollout).toMatchObject({ mode: 'external', routes: { sotu: [{ version: VERSION, weight: 100 }] } });
    for (const name of ['CRUCIBLE_REGISTRY_URL', 'SERVING_KEY_PEPPER', 'CRUCIBLE_BUS', 'KAFKA_BROKERS'].filter((n) => gateway[n] !== undefined)) {
      expect(env[name], name).toBe(gateway[name]);
    }
  });
});

/** A file of the operator's `-files` ConfigMap, as the operator reads it from its mount. */
function operatorFile(docs: readonly k8s.KubernetesObject[], key: string): unknown {
  const cm = docs.find((d) => d.kind === 'ConfigMap' && d.metadata?.name?.endsWith('-operator-files')) as k8s.V1ConfigMap | undefined;
  expect(cm?.data?.[key], `${key} in the operator's files`).toBeDefined();
  return JSON.parse(cm!.data![key]!);
}

/** The Secrets' literal values of a render (what must never be copied into an operator-made object). */
const secretValues = (docs: readonly k8s.KubernetesObject[]) =>
  (docs.filter((d) => d.kind === 'Secret') as k8s.V1Secret[])
    .flatMap((s) => [...Object.entries(s.stringData ?? {}), ...Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()] as const)])
    // A SASL username is no secret (and 'crucible' is in every name).
    .filter(([key, value]) => !/user/i.test(key) && value.length >= 6)
    .map(([, value]) => value);

/** Every volume a container's file-valued variable points into is mounted (NODE_EXTRA_CA_CERTS → the Kafka CA Secret). */
function expectCaMounted(pod: k8s.V1PodSpec, env: Record<string, string>, gatewayPod: k8s.V1PodSpec) {
  if (!env.NODE_EXTRA_CA_CERTS) return;
  const c = pod.containers[0]!;
  const mount = c.volumeMounts!.find((m) => env.NODE_EXTRA_CA_CERTS!.startsWith(`${m.mountPath}/`));
  expect(mount, `a mount holding ${env.NODE_EXTRA_CA_CERTS}`).toBeDefined();
  const volume = pod.volumes!.find((v) => v.name === mount!.name)!;
  const gatewayCa = gatewayPod.volumes!.find((v) => v.name === 'kafka-ca')!;
  expect(volume.secret).toEqual(gatewayCa.secret);
}

// The settings the chart's gateway resolves from Secrets/ConfigMaps, which a version's pod must resolve identically.
const GATEWAY_SETTINGS = [
  'CRUCIBLE_REGISTRY_URL', 'SERVING_KEY_PEPPER', 'SERVING_ADMIN_TOKEN', 'SERVING_AUTH',
  'CRUCIBLE_BUS', 'KAFKA_BROKERS', 'KAFKA_SSL', 'KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'NODE_EXTRA_CA_CERTS', 'LOG_LEVEL',
];

describe.each(['default', 'maximal'] as const)('the chart’s operator configuration (%s chart values)', (which) => {
  const gatewayDeployment = (docs: readonly k8s.KubernetesObject[]) =>
    docs.find((d) => d.kind === 'Deployment' && d.metadata?.labels?.['app.kubernetes.io/component'] === 'serving') as k8s.V1Deployment;

  it('gives a version’s serving pod everything the gateway resolves — registry DSN, pepper, admin token, Kafka brokers, SASL, CA — by reference only', () => {
    const docs = byValues[which];
    const config = loadOperatorConfig(renderedEnv(docs, 'operator'));
    expect(config.OPERATOR_SERVING_DEFAULTS_FILE).toBe('/etc/crucible/operator/serving-pod-defaults.json');
    const defaults = ServingPodDefaultsSchema.parse(operatorFile(docs, 'serving-pod-defaults.json'));
    const d = buildServingDeployment(approvedModelDeployment(docs), VERSION, defaults);
    const pod = d.spec!.template.spec!;
    const env = resolvedEnv(docs, pod.containers[0]!, 'sotu-v3-pod-0');
    const gateway = renderedEnv(docs, 'serving');
    for (const name of GATEWAY_SETTINGS.filter((n) => gateway[n] !== undefined)) expect(env[name], name).toBe(gateway[name]);
    if (which === 'maximal') {
      for (const name of ['CRUCIBLE_REGISTRY_URL', 'KAFKA_SASL_PASSWORD', 'NODE_EXTRA_CA_CERTS', 'KAFKA_SASL_MECHANISM']) expect(env[name], name).toBeDefined();
    }
    expect(env.SERVING_KEY_PEPPER).toBeDefined();
    expectCaMounted(pod, env, gatewayDeployment(docs).spec!.template.spec!);
    // Still this version's pinned gateway, accepted by the serving loader.
    const served = expectServingAccepts(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
    expect(settingsFromConfig(served).rollout).toMatchObject({ mode: 'external', routes: { sotu: [{ version: VERSION, weight: 100 }] } });
    expect(served.CRUCIBLE_DATA_DIR).toBe(MODELS_MOUNT);
    // Secrets are referenced, never copied: no Secret value of the render appears in the Deployment.
    const text = JSON.stringify(d);
    for (const value of secretValues(docs)) expect(text.includes(value), 'a secret value copied into the Deployment').toBe(false);
    expect(pod.serviceAccountName).toBe(gatewayDeployment(docs).spec!.template.spec!.serviceAccountName);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: gatewayDeployment(docs).spec!.template.spec!.securityContext!.runAsUser });
  });

  it('gives training pods the SASL credentials, the Kafka CA and the registry DSN by reference, and the trainer pod’s loader accepts the env', () => {
    const docs = byValues[which];
    const config = loadOperatorConfig(renderedEnv(docs, 'operator'));
    const defaults = TrainingPodDefaultsSchema.parse(operatorFile(docs, 'training-pod-defaults.json'));
    const run: TrainingRun = {
      apiVersion: 'crucible.dev/v1alpha1',
      kind: 'TrainingRun',
      metadata: { name: 'train-sotu-1-small', namespace: ns, uid: 'u-2' },
      spec: { runId: 'sotu@1-small', dataset: { id: 'sotu@1', manifestPath: '/var/lib/crucible/data/datasets/sotu/1/manifest.json' }, model: { preset: 'tiny' } },
    };
    const job = buildTrainingJob(run, { defaults, busEnv: busEnvOf(config) });
    const pod = job.spec!.template.spec!;
    const env = resolvedEnv(docs, pod.containers[0]!, 'train-pod-0');
    const training = renderedEnv(docs, 'training');
    for (const name of ['CRUCIBLE_BUS', 'KAFKA_BROKERS', 'KAFKA_SSL', 'KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'NODE_EXTRA_CA_CERTS', 'CRUCIBLE_REGISTRY_URL'].filter((n) => training[n] !== undefined)) {
      expect(env[name], name).toBe(training[name]);
    }
    if (which === 'maximal') for (const name of ['KAFKA_SASL_PASSWORD', 'NODE_EXTRA_CA_CERTS', 'CRUCIBLE_REGISTRY_URL']) expect(env[name], name).toBeDefined();
    expectCaMounted(pod, env, gatewayDeployment(docs).spec!.template.spec!);
    expect(() => loadPodConfig(env)).not.toThrow();
    // Paths: the manifest the service named, moved to the pod's data mount; checkpoints reported under the services' checkpoint mount.
    expect(env.CRUCIBLE_DATASET_MANIFEST).toBe('/data/datasets/sotu/1/manifest.json');
    const checkpointsMount = (docs.find((d) => d.kind === 'Deployment' && d.metadata?.labels?.['app.kubernetes.io/component'] === 'training') as k8s.V1Deployment).spec!.template.spec!.containers[0]!.volumeMounts!.find((m) => m.name === 'checkpoints')!;
    expect(env.CRUCIBLE_CHECKPOINT_SHARED_DIR).toBe(`${checkpointsMount.mountPath}/runs/sotu@1-small`);
    const text = JSON.stringify(job);
    for (const value of secretValues(docs)) expect(text.includes(value), 'a secret value copied into the Job').toBe(false);
  });
});
