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
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'models', mountPath: MODELS_MOUNT, readOnly: true }]);
    expect(d.spec!.template.spec!.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '1Gi' } }, { name: 'models', persistentVolumeClaim: { claimName: 'models', readOnly: true } }]);
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

  it('has the chart’s restricted security context: non-root, read-only root with /tmp, no capabilities, seccomp RuntimeDefault, no API token', () => {
    const d = buildServingDeployment(md(), 'sotu@3');
    const pod = d.spec!.template.spec!;
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container(d).securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ['ALL'] } });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('takes the chart’s serving defaults: ConfigMaps through envFrom, secrets by reference, the Kafka CA mount; the resource’s env wins but not the version pin', () => {
    const defaults = {
      envFrom: [{ configMapRef: { name: 'crucible-common' } }],
      env: [
        { name: 'CRUCIBLE_REGISTRY_URL', valueFrom: { secretKeyRef: { name: 'crucible-postgresql', key: 'dsn' } } },
        { name: 'SERVING_KEY_PEPPER', valueFrom: { secretKeyRef: { name: 'crucible-serving', key: 'key-pepper' } } },
        { name: 'KAFKA_SASL_PASSWORD', valueFrom: { secretKeyRef: { name: 'crucible-kafka', key: 'password' } } },
        { name: 'SERVING_ROUTING_FILE', value: '/etc/crucible/routing/routing.json' },
        { name: 'LOG_LEVEL', value: 'info' },
      ],
      mounts: [{ name: 'kafka-ca', mountPath: '/etc/crucible/kafka-ca', secret: { secretName: 'kafka-ca' } }],
      serviceAccountName: 'crucible-serving',
      imagePullSecrets: ['regcred'],
      securityContext: { runAsUser: 2000 },
    };
    const d = buildServingDeployment(md({ env: [{ name: 'LOG_LEVEL', value: 'debug' }], envFrom: [{ secretRef: { name: 'more' } }] }), 'sotu@3', defaults);
    const c = container(d);
    const byName = new Map(c.env!.map((e) => [e.name, e]));
    expect(byName.size).toBe(c.env!.length);
    expect(byName.get('CRUCIBLE_REGISTRY_URL')).toEqual({ name: 'CRUCIBLE_REGISTRY_URL', valueFrom: { secretKeyRef: { name: 'crucible-postgresql', key: 'dsn' } } });
    expect(byName.get('SERVING_KEY_PEPPER')!.valueFrom!.secretKeyRef).toEqual({ name: 'crucible-serving', key: 'key-pepper' });
    expect(byName.get('KAFKA_SASL_PASSWORD')!.valueFrom!.secretKeyRef).toEqual({ name: 'crucible-kafka', key: 'password' });
    expect(byName.get('LOG_LEVEL')!.value).toBe('debug');
    // The pin stays the operator's: no routing file (cleared over the ConfigMaps), the inline routes, the data dir on the models claim.
    expect(byName.get('SERVING_ROUTING_FILE')!.value).toBe('');
    expect(byName.get('SERVING_ROUTES')!.value).toBe(JSON.stringify({ sotu: [{ version: 'sotu@3', weight: 100 }] }));
    expect(byName.get('CRUCIBLE_DATA_DIR')!.value).toBe(MODELS_MOUNT);
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'crucible-common' } }, { secretRef: { name: 'more' } }]);
    expect(c.volumeMounts).toContainEqual({ name: 'kafka-ca', mountPath: '/etc/crucible/kafka-ca', readOnly: true });
    const pod = d.spec!.template.spec!;
    expect(pod.volumes).toContainEqual({ name: 'kafka-ca', secret: { secretName: 'kafka-ca' } });
    expect(pod.serviceAccountName).toBe('crucible-serving');
    expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(pod.securityContext).toMatchObject({ runAsUser: 2000, runAsGroup: 2000, runAsNonRoot: true });
    expect(() => buildServingDeployment(md({ envFrom: [{}] }), 'sotu@3')).toThrow(/exactly one of configMapRef, secretRef/);
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
