// The per-version serving Deployments that the operator creates (services/operator
// serving-objects.builder.ts) against the serving gateway's own config loader
// (services/serving/src/config.ts): the operator cannot import the serving service (module
// boundary), so the contract is held here, as chart-values holds the chart's env to each
// service. The template is the one the chart's operator builds from its rendered environment
// (services/operator/src/main.ts), bare and with the chart gateway's environment as `serving.env`.
// An integration suite (not unit) because it renders the chart with the helm binary from infra/tools.
import { beforeAll, describe, expect, it } from 'vitest';
import type * as k8s from '@kubernetes/client-node';
import type { ModelDeployment } from '@crucible/crds';
import { tool } from '../../../infra/k8s/test/kube';
import { loadOperatorConfig } from '../../../services/operator/src/config';
import { MODELS_MOUNT, buildServingDeployment } from '../../../services/operator/src/model-deployment/serving-objects.builder';
import { ServingServiceConfigSchema, loadServingServiceConfig, settingsFromConfig } from '../../../services/serving/src/config';
import { exec, maximalValues, render } from './chart';
import { renderedEnv } from './rendered-env';

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
