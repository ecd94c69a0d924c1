import type { ModelDeployment } from '@crucible/crds';
import { describe, expect, it } from 'vitest';
import { MODELS_MOUNT, SERVING_CONTAINER, buildServingDeployment, buildServingService } from './serving-objects.builder';

const md = (serving: Partial<ModelDeployment['spec']['serving']> = {}): ModelDeployment => ({
  apiVersion: 'crucible.dev/v1alpha1',
  kind: 'ModelDeployment',
  metadata: { name: 'sotu', namespace: 'ml', uid: 'u-1', generation: 1 },
  spec: { model: 'sotu', stableVersionId: 'sotu@3', serving: { image: 'crucible:1', modelsClaimName: 'models', ...serving } },
});
const container = (d: ReturnType<typeof buildServingDeployment>) => d.spec!.template.spec!.containers[0]!;
const envOf = (d: ReturnType<typeof buildServingDeployment>) => Object.fromEntries(container(d).env!.map((e) => [e.name, e.value]));

describe('buildServingDeployment', () => {
  it('runs the image’s serving gateway pinned to this version: external rollout, inline routes at weight 100, the models mount as data dir', () => {
    const d = buildServingDeployment(md(), 'sotu@3');
    const c = container(d);
    expect(c.name).toBe(SERVING_CONTAINER);
    expect(c.image).toBe('crucible:1');
    expect(envOf(d)).toEqual({
      CRUCIBLE_SERVICE: 'serving',
      SERVING_ROLLOUT: 'external',
      SERVING_ROUTES: JSON.stringify({ sotu: [{ version: 'sotu@3', weight: 100 }] }),
      CRUCIBLE_DATA_DIR: MODELS_MOUNT,
      HTTP_HOST: '0.0.0.0',
      HTTP_PORT: '8080',
    });
    // The version's artifacts, where the gateway looks for them: <dataDir>/models/<model>/<n>/ on the claim.
    expect(c.volumeMounts).toEqual([{ name: 'models', mountPath: MODELS_MOUNT, readOnly: true }]);
    expect(d.spec!.template.spec!.volumes).toEqual([{ name: 'models', persistentVolumeClaim: { claimName: 'models', readOnly: true } }]);
    expect(Object.keys(envOf(d)).filter((k) => k.startsWith('SERVING_MODEL'))).toEqual([]);
  });

  it('probes the service-kit endpoints: /readyz for readiness, /healthz for liveness and startup, on the http port', () => {
    const c = container(buildServingDeployment(md({ port: 9000 }), 'sotu@3'));
    expect(c.ports).toEqual([{ name: 'http', containerPort: 9000 }]);
    expect(c.readinessProbe!.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.livenessProbe!.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.startupProbe!.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(envOf(buildServingDeployment(md({ port: 9000 }), 'sotu@3')).HTTP_PORT).toBe('9000');
  });

  it('puts the template env last (registry, pepper, Kafka); it overrides defaults without duplicates, but not the version pin or the port', () => {
    const env = [
      { name: 'CRUCIBLE_REGISTRY_URL', value: 'postgres://registry' },
      { name: 'SERVING_KEY_PEPPER', value: 'p'.repeat(32) },
      { name: 'CRUCIBLE_BUS', value: 'kafka' },
      { name: 'KAFKA_BROKERS', value: 'kafka:9092' },
      { name: 'CRUCIBLE_DATA_DIR', value: '/elsewhere' },
      { name: 'SERVING_ROUTES', value: '{"sotu": [{"version": "sotu@1", "weight": 100}]}' },
      { name: 'SERVING_ROUTING_FILE', value: '/etc/crucible/routing/routing.json' },
      { name: 'CRUCIBLE_SERVICE', value: 'training' },
      { name: 'HTTP_PORT', value: '1234' },
    ];
    const list = container(buildServingDeployment(md({ env }), 'sotu@3')).env!;
    expect(list.map((e) => e.name)).toEqual([
      'CRUCIBLE_SERVICE', 'SERVING_ROLLOUT', 'SERVING_ROUTES', 'HTTP_HOST', 'HTTP_PORT',
      'CRUCIBLE_REGISTRY_URL', 'SERVING_KEY_PEPPER', 'CRUCIBLE_BUS', 'KAFKA_BROKERS', 'CRUCIBLE_DATA_DIR',
    ]);
    expect(Object.fromEntries(list.map((e) => [e.name, e.value]))).toMatchObject({
      CRUCIBLE_SERVICE: 'serving',
      SERVING_ROUTES: JSON.stringify({ sotu: [{ version: 'sotu@3', weight: 100 }] }),
      HTTP_PORT: '8080',
      CRUCIBLE_DATA_DIR: '/elsewhere',
      CRUCIBLE_REGISTRY_URL: 'postgres://registry',
    });
  });

  it('names, labels and owns the objects by version; the Service targets the http port', () => {
    const d = buildServingDeployment(md(), 'sotu@3');
    const svc = buildServingService(md(), 'sotu@3');
    expect(d.metadata!.name).toBe(svc.metadata!.name);
    expect(svc.spec!.selector).toEqual(d.spec!.selector!.matchLabels);
    expect(svc.spec!.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http' }]);
    expect(d.metadata!.ownerReferences![0]).toMatchObject({ kind: 'ModelDeployment', name: 'sotu', uid: 'u-1', controller: true });
  });
});
