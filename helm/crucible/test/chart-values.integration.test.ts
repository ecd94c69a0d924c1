// The chart against itself and the services it deploys, with the real helm (no cluster):
// `helm lint --strict`, values.schema.json (closed at every level; typos and wrong types fail
// the install), the pod security baseline of every Deployment, and the contract with the
// services: every variable the chart sets is one that services/<name>/src/config.ts reads,
// and the rendered environment passes that service's own config loader.
// An integration suite (not unit) because it runs the helm binary that infra/tools builds.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as k8s from '@kubernetes/client-node';
import { ALL_TOPICS } from '@crucible/contracts';
import { repoRoot, tool } from '../../../infra/k8s/test/kube';
import { renderTopicsFile, topicsFile } from '../hack/gen-topics';
import { chartDir, exec, helm, maximalValues, ofKind, render } from './chart';
import { renderedEnv, SERVICE_COMPONENTS } from './rendered-env';

const ns = 'crucible-values-test';
let byValues: Record<'default' | 'maximal', k8s.KubernetesObject[]>;

beforeAll(async () => {
  await exec(tool('install'), []); // builds helm + kubeconform on first use
  byValues = {
    default: (await render({ namespace: ns })).docs,
    maximal: (await render({ namespace: ns, valuesFiles: [maximalValues] })).docs,
  };
}, 60 * 60_000);

describe('helm lint --strict', () => {
  it.each([
    ['default values', []],
    ['the maximal values file', ['--values', maximalValues]],
  ])('passes with %s', async (_name, extra) => {
    const r = await helm(['lint', '--strict', chartDir, ...extra]);
    expect(r.stdout + r.stderr).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(r.code).toBe(0);
  });
});

describe('values.schema.json', () => {
  it.each([
    ['an unknown top-level key', 'replicaCount=2', /additional properties 'replicaCount' not allowed/],
    ['a typo in a nested key', 'serving.autoscaling.maxReplica=3', /at '\/serving\/autoscaling': additional properties 'maxReplica' not allowed/],
    ['a wrong type', 'serving.replicas=two', /at '\/serving\/replicas': got string, want integer/],
    ['a value outside an enum', 'kafka.sasl.mechanism=gssapi', /at '\/kafka\/sasl\/mechanism'/],
    ['a second cleaning replica (one SQLite dedup index)', 'cleaning.replicas=2', /at '\/cleaning\/replicas': maximum/],
    ['a DSN that is not PostgreSQL', 'postgresql.dsn=mysql://x', /at '\/postgresql\/dsn'/],
  ])('rejects %s in helm lint and helm template', async (_name, set, message) => {
    const lint = await helm(['lint', '--strict', chartDir, '--set', set]);
    expect(lint.code).not.toBe(0);
    expect(lint.stdout + lint.stderr).toMatch(message);
    const template = await helm(['template', 'crucible', chartDir, '--set', set]);
    expect(template.code).not.toBe(0);
    expect(template.stderr).toMatch(message);
  });

  it('closes every object level: properties with additionalProperties false, maps with typed values', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(chartDir, 'values.schema.json'), 'utf8')) as Record<string, unknown>;
    const open: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (!node || typeof node !== 'object') return;
      const s = node as Record<string, unknown>;
      const isObject = s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object'));
      if (isObject) {
        const ap = s.additionalProperties;
        const closed = s.properties ? ap === false : typeof ap === 'object' && ap !== null;
        if (!closed) open.push(at);
      }
      for (const [k, v] of Object.entries(s)) {
        if (k === 'properties' || k === 'definitions') for (const [p, c] of Object.entries(v as object)) walk(c, `${at}/${k}/${p}`);
        else if (typeof v === 'object') walk(v, `${at}/${k}`);
      }
    };
    walk(schema, '#');
    expect(open).toEqual([]);
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('chart metadata and generated files', () => {
  it('appVersion follows the root package.json', () => {
    const chart = fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8');
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(/^appVersion: "(.*)"$/m.exec(chart)?.[1]).toBe(pkg.version);
  });

  it('files/topics.yaml is libs/contracts ALL_TOPICS (run hack/gen-topics.ts when it is not)', () => {
    expect(fs.readFileSync(topicsFile, 'utf8')).toBe(renderTopicsFile(ALL_TOPICS));
  });

  it('renders one KafkaTopic per contracts topic, dead-letter topics with their own partition count', () => {
    const topics = ofKind<k8s.KubernetesObject & { spec: { topicName: string; partitions: number } }>(byValues.maximal, 'KafkaTopic');
    expect(topics.map((t) => t.spec.topicName).sort()).toEqual([...ALL_TOPICS].sort());
    expect(topics.find((t) => t.spec.topicName.endsWith('.dlq'))!.spec.partitions).toBe(1);
    expect(topics.find((t) => !t.spec.topicName.endsWith('.dlq'))!.spec.partitions).toBe(6);
    expect(ofKind(byValues.default, 'KafkaTopic')).toEqual([]);
  });
});

describe.each(['default', 'maximal'] as const)('rendered Deployments (%s values)', (which) => {
  const deployments = () => ofKind<k8s.V1Deployment>(byValues[which], 'Deployment');

  it('one per service, every one from the one image with CRUCIBLE_SERVICE naming it', () => {
    const names = deployments().map((d) => d.spec!.template.spec!.containers[0]!.env!.find((e) => e.name === 'CRUCIBLE_SERVICE')!.value);
    expect(names.sort()).toEqual([...SERVICE_COMPONENTS].sort());
    expect(new Set(deployments().map((d) => d.spec!.template.spec!.containers[0]!.image)).size).toBe(1);
  });

  it('runs non-root with a read-only root, no capabilities, RuntimeDefault seccomp, an emptyDir /tmp and both probes', () => {
    for (const d of deployments()) {
      const pod = d.spec!.template.spec!;
      expect(pod.securityContext, d.metadata!.name).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      for (const c of pod.containers) {
        expect(c.securityContext, c.name).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
        expect(c.livenessProbe?.httpGet?.path, c.name).toBe('/healthz');
        expect(c.readinessProbe?.httpGet?.path, c.name).toBe('/readyz');
        const tmp = c.volumeMounts!.find((m) => m.mountPath === '/tmp')!;
        expect(pod.volumes!.find((v) => v.name === tmp.name)!.emptyDir, c.name).toBeDefined();
        expect(c.resources?.requests, c.name).toBeDefined();
      }
    }
  });

  it('mounts a service account token only where the Kubernetes API is used (operator, training launcher=kubernetes)', () => {
    const withToken = deployments()
      .filter((d) => d.spec!.template.spec!.automountServiceAccountToken)
      .map((d) => d.metadata!.labels!['app.kubernetes.io/component']);
    expect(withToken.sort()).toEqual(['operator', 'training']);
    const sas = ofKind<k8s.V1ServiceAccount>(byValues[which], 'ServiceAccount');
    expect(sas.filter((s) => s.automountServiceAccountToken).map((s) => s.metadata!.labels!['app.kubernetes.io/component']).sort()).toEqual(['operator', 'training']);
  });

  it('references only ConfigMaps, Secrets and claims that the chart renders (or that values name as existing)', () => {
    const rendered = new Set(byValues[which].map((o) => `${o.kind}/${o.metadata!.name}`));
    const external = new Set(['Secret/kafka-cluster-ca-cert', 'Secret/extra']);
    for (const d of deployments()) {
      const pod = d.spec!.template.spec!;
      const refs: string[] = [];
      for (const c of pod.containers) {
        for (const f of c.envFrom ?? []) if (f.configMapRef) refs.push(`ConfigMap/${f.configMapRef.name}`);
        for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef && !e.valueFrom.secretKeyRef.optional) refs.push(`Secret/${e.valueFrom.secretKeyRef.name}`);
      }
      for (const v of pod.volumes ?? []) {
        if (v.configMap && !v.configMap.optional) refs.push(`ConfigMap/${v.configMap.name}`);
        if (v.secret) refs.push(`Secret/${v.secret.secretName}`);
        if (v.persistentVolumeClaim) refs.push(`PersistentVolumeClaim/${v.persistentVolumeClaim.claimName}`);
      }
      const dangling = refs.filter((r) => !rendered.has(r) && !external.has(r));
      expect(dangling, d.metadata!.name).toEqual([]);
    }
  });
});

describe('the chart ↔ services/<name>/src/config.ts contract', () => {
  // Read by something other than the service's zod config: the image's entry point picks the
  // service; Node itself reads the extra CA file.
  const notServiceConfig = new Set(['CRUCIBLE_SERVICE', 'NODE_EXTRA_CA_CERTS']);

  it.each(['default', 'maximal'] as const)('every variable the chart sets is read by the service, and its loader accepts them (%s values)', async (which) => {
    const checked: string[] = [];
    for (const component of SERVICE_COMPONENTS) {
      const configFile = path.join(repoRoot, 'services', component, 'src', 'config.ts');
      if (!fs.existsSync(configFile)) continue; // a service not written yet: nothing to hold the chart to
      const mod = (await import(configFile)) as Record<string, unknown>;
      const schema = Object.entries(mod).find(([k]) => k.endsWith('ConfigSchema'))?.[1] as { shape?: Record<string, unknown> } | undefined;
      const load = Object.entries(mod).find(([k, v]) => /^load\w*Config$/.test(k) && typeof v === 'function')?.[1] as ((env: Record<string, string>) => unknown) | undefined;
      expect(schema?.shape, `${component}: an exported *ConfigSchema`).toBeDefined();
      expect(load, `${component}: an exported load*Config`).toBeDefined();
      const env = renderedEnv(byValues[which], component);
      const unknown = Object.keys(env).filter((k) => !(k in schema!.shape!) && !notServiceConfig.has(k) && !k.startsWith('EXTRA_'));
      expect(unknown, `${component} does not read these`).toEqual([]);
      expect(() => load!(env), component).not.toThrow();
      checked.push(component);
    }
    // The three services that existed when the chart was written are always held to it.
    expect(checked).toEqual(expect.arrayContaining(['ingestion', 'cleaning', 'tokenization']));
  });
});

describe('the operator training-pod defaults file', () => {
  const schemaFile = path.join(repoRoot, 'services/operator/src/training-run/training-pod-defaults.ts');

  it.each(['default', 'maximal'] as const)('parses with the operator TrainingPodDefaultsSchema (%s values)', async (which) => {
    const files = ofKind<k8s.V1ConfigMap>(byValues[which], 'ConfigMap').find((c) => c.data?.['training-pod-defaults.json']);
    const defaults = JSON.parse(files!.data!['training-pod-defaults.json']!) as Record<string, unknown>;
    expect(defaults).toMatchObject({ gpus: expect.any(Number), serviceAccountName: 'crucible-trainer', dataClaimName: 'crucible-data', checkpointClaimName: 'crucible-checkpoints' });
    if (!fs.existsSync(schemaFile)) return; // the operator's side of the contract is not written yet
    const { TrainingPodDefaultsSchema } = (await import(schemaFile)) as { TrainingPodDefaultsSchema: { strict(): { parse(v: unknown): unknown } } };
    expect(() => TrainingPodDefaultsSchema.strict().parse(defaults)).not.toThrow();
  });
});

describe('NetworkPolicies (rendered; this control plane has no CNI to enforce them)', () => {
  // The rendered YAML as parsed (client-node's V1NetworkPolicy calls `from` `_from`).
  interface Policy {
    metadata?: { name?: string };
    spec?: {
      podSelector: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ values?: string[] }> };
      policyTypes?: string[];
      ingress?: Array<{ from?: unknown[]; ports?: unknown[] }>;
      egress?: Array<{ to?: unknown[] }>;
    };
  }
  const policies = (which: 'default' | 'maximal') => ofKind<Policy>(byValues[which], 'NetworkPolicy');
  const byName = (which: 'default' | 'maximal', suffix: string) => policies(which).find((p) => p.metadata!.name!.endsWith(suffix))!;

  it('deny all ingress and egress of every pod of the release first', () => {
    const deny = byName('default', '-default-deny');
    expect(deny.spec!.policyTypes!.sort()).toEqual(['Egress', 'Ingress']);
    expect(deny.spec!.ingress ?? []).toEqual([]);
    expect(deny.spec!.egress ?? []).toEqual([]);
    for (const d of ofKind<k8s.V1Deployment>(byValues.default, 'Deployment')) {
      const labels = d.spec!.template.metadata!.labels!;
      expect(Object.entries(deny.spec!.podSelector.matchLabels!).every(([k, v]) => labels[k] === v), d.metadata!.name).toBe(true);
    }
  });

  it('let only the registry clients reach PostgreSQL, at the configured address', () => {
    const pg = byName('maximal', '-postgresql');
    expect(pg.spec!.podSelector.matchExpressions![0]!.values!.sort()).toEqual(['evaluation', 'safety', 'serving', 'training']);
    expect(pg.spec!.egress![0]!.to).toEqual([{ ipBlock: { cidr: '10.30.0.5/32' } }]);
    // Without an address for PostgreSQL there is no rule at all (the default deny holds).
    expect(policies('default').some((p) => p.metadata!.name!.endsWith('-postgresql'))).toBe(false);
  });

  it('let the gateway be reached from the configured peers only, on its HTTP port', () => {
    const gw = byName('maximal', '-serving-ingress');
    expect(gw.spec!.ingress![0]!.from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } },
      { ipBlock: { cidr: '203.0.113.0/24' } },
    ]);
    expect(gw.spec!.ingress![0]!.ports).toEqual([{ protocol: 'TCP', port: 'http' }]);
  });
});

describe('Kafka credentials', () => {
  it('take the username from values and the password from an existing Secret (a Strimzi KafkaUser Secret)', async () => {
    const { docs } = await render({
      namespace: ns,
      set: ['kafka.sasl.enabled=true', 'kafka.sasl.existingSecret=crucible-user', 'kafka.sasl.username=crucible-user', 'kafka.tls.enabled=true', 'kafka.tls.caSecret=prod-cluster-ca-cert'],
    });
    const d = ofKind<k8s.V1Deployment>(docs, 'Deployment')[0]!;
    const env = d.spec!.template.spec!.containers[0]!.env!;
    expect(env.find((e) => e.name === 'KAFKA_SASL_USERNAME')).toEqual({ name: 'KAFKA_SASL_USERNAME', value: 'crucible-user' });
    expect(env.find((e) => e.name === 'KAFKA_SASL_PASSWORD')!.valueFrom!.secretKeyRef).toEqual({ name: 'crucible-user', key: 'password' });
    expect(ofKind(docs, 'Secret').map((s) => s.metadata!.name)).not.toContain('crucible-user');
    expect(d.spec!.template.spec!.volumes!.find((v) => v.name === 'kafka-ca')!.secret!.secretName).toBe('prod-cluster-ca-cert');
    const common = ofKind<k8s.V1ConfigMap>(docs, 'ConfigMap').find((c) => c.metadata!.name!.endsWith('-common'))!;
    expect(common.data).toMatchObject({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512', NODE_EXTRA_CA_CERTS: '/etc/crucible/kafka-ca/ca.crt' });
  });
});
