/**
 * The operator process (main.ts) on the real Kafka and the real control plane: `model.approved`
 * for a model's first version creates its ModelDeployment, promoted at once; the next approved
 * version rolls out as a canary judged on a real Prometheus-text endpoint and is promoted;
 * rollout.* events come out on Kafka; `training.progressed` lands in the TrainingRun status.
 * Topics are shared between runs: every run uses its own model names, run id and groups.
 */
import { randomUUID } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import { EventBus, KafkaBus, type Subscription } from '@crucible/bus';
import { type Event, TOPICS, type Topic } from '@crucible/contracts';
import { GROUP, MODEL_DEPLOYMENT, TRAINING_RUN, VERSION, type ModelDeployment, type TrainingRun } from '@crucible/crds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, deleteNamespace, installCrds, kubeConfig, kubeconfigPath, until } from './testing/kube-fixture';
import { FakeGatewayMetrics } from './testing/metrics-server';
import { type OperatorProcess, startOperatorProcess } from './testing/operator-process';

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:19092';
const id = randomUUID().slice(0, 8);
const model = `it-${id}`;
let kc: k8s.KubeConfig;
let custom: k8s.CustomObjectsApi;
let ns: string;
let bus: EventBus;
let operator: OperatorProcess;
const gateway = new FakeGatewayMetrics();
const subscriptions: Subscription[] = [];
const seen: Array<{ topic: string; payload: Record<string, unknown> }> = [];

async function listen(topic: Topic): Promise<void> {
  subscriptions.push(
    await bus.subscribe(topic, `it-operator-${id}-${topic}`, async (e: Event<Topic>) => {
      const payload = e.payload as Record<string, unknown>;
      if (payload.model === model) seen.push({ topic, payload });
    }),
  );
}

const mds = async () =>
  ((await custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: MODEL_DEPLOYMENT.plural })) as { items: ModelDeployment[] }).items.filter((m) => m.spec.model === model);

beforeAll(async () => {
  kc = await kubeConfig();
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
  await installCrds(kc);
  ns = await createNamespace(kc, 'op-bus');
  await gateway.start();
  bus = new EventBus(new KafkaBus({ brokers: brokers.split(','), clientId: `it-operator-${id}`, instanceId: `it-operator-${id}` }), 'crucible/it');
  for (const t of [TOPICS.rolloutStarted, TOPICS.rolloutPromoted]) await listen(t);
  operator = startOperatorProcess({
    KUBECONFIG: await kubeconfigPath(),
    OPERATOR_BUS_ENABLED: 'true',
    CRUCIBLE_BUS: 'kafka',
    KAFKA_BROKERS: brokers,
    KAFKA_CLIENT_ID: `it-operator-${id}`,
    CRUCIBLE_INSTANCE_ID: `it-operator-${id}`,
    OPERATOR_CONSUMER_GROUP: `it-operator-${id}`,
    OPERATOR_CONSUME_FROM_BEGINNING: 'false',
    OPERATOR_NAMESPACES: ns,
    OPERATOR_LEASE_NAMESPACE: ns,
    OPERATOR_IDENTITY: `it-${id}`,
    OPERATOR_LEASE_DURATION_SECONDS: '4',
    OPERATOR_RENEW_DEADLINE_SECONDS: '3',
    OPERATOR_RETRY_PERIOD_SECONDS: '1',
    OPERATOR_ANALYSIS_INTERVAL_SECONDS: '0.3',
    OPERATOR_METRICS_URLS: gateway.url,
    OPERATOR_TRAINER_IMAGE: 'registry.example.invalid/trainer:1',
    OPERATOR_SERVING_IMAGE: 'registry.example.invalid/serving:1',
    OPERATOR_DEFAULT_ROLLOUT: JSON.stringify({ steps: [50, 100], stepIntervalSeconds: 1, analysis: { minRequests: 5, maxErrorRate: 0.05, maxP99LatencyMs: 500 } }),
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
  });
  await until('operator consuming and leading', async () => /service listening/.test(operator.output()) && /became leader/.test(operator.output()), 180_000, 500).catch(
    (e: Error) => Promise.reject(new Error(`${e.message}\n${operator.output()}`)),
  );
}, 20 * 60_000);

afterAll(async () => {
  await operator?.kill();
  for (const s of subscriptions) await s.stop();
  await (bus?.transport as KafkaBus | undefined)?.close();
  await gateway.stop();
  if (ns) await deleteNamespace(kc, ns);
});

describe('operator over the bus', { timeout: 360_000 }, () => {
  it('turns model.approved into a ModelDeployment, then into a canary rollout, and publishes rollout events', async () => {
    await bus.emit(TOPICS.modelApproved, { modelVersionId: `${model}@1`, model, alias: 'champion' }, { key: model });
    const first = await until('first version promoted', async () => (await mds()).find((m) => m.status?.phase === 'Promoted' && m.spec.stableVersionId === `${model}@1`), 90_000, 500);
    expect(first.metadata.name).toBe(model);

    await bus.emit(TOPICS.modelApproved, { modelVersionId: `${model}@2`, model, alias: 'champion' }, { key: model });
    await until('canary progressing', async () => (await mds()).some((m) => m.status?.phase === 'Progressing' && m.status.canaryVersionId === `${model}@2`), 60_000, 500);
    const promoted = await until('canary promoted', async () => {
      gateway.serve(`${model}@2`, 5);
      return (await mds()).find((m) => m.status?.phase === 'Promoted' && m.spec.stableVersionId === `${model}@2`);
    }, 60_000, 500); // two 1 s steps: a few seconds (it took ~60 s while a pending resync held back the analysis requeue)
    expect(promoted.status!.history!.map((h) => `${h.type}:${h.canaryVersionId}`)).toEqual([
      `started:${model}@1`, `promoted:${model}@1`, `started:${model}@2`, `weight-changed:${model}@2`, `promoted:${model}@2`,
    ]);

    // A redelivered approval of the promoted version changes nothing.
    await bus.emit(TOPICS.modelApproved, { modelVersionId: `${model}@2`, model, alias: 'champion' }, { key: model });
    await until('rollout events on Kafka', async () => seen.length >= 4, 30_000, 500);
    expect(seen.map((s) => `${s.topic.split('.')[2]}:${s.payload.canaryVersionId}`)).toEqual([
      `started:${model}@1`, `promoted:${model}@1`, `started:${model}@2`, `promoted:${model}@2`,
    ]);
    expect(seen[2]!.payload).toMatchObject({ stableVersionId: `${model}@1`, canaryWeight: 50 });
    expect((await mds())[0]!.spec.canaryVersionId).toBeUndefined();
  });

  it('writes training.progressed and training.checkpointed into the TrainingRun status', async () => {
    const runId = `run-${id}`;
    await custom.createNamespacedCustomObject({
      group: GROUP, version: VERSION, namespace: ns, plural: TRAINING_RUN.plural,
      body: { apiVersion: `${GROUP}/${VERSION}`, kind: 'TrainingRun', metadata: { name: 'bus-run' }, spec: { runId, dataset: { id: 'd@1', manifestPath: '/m.json' }, model: { preset: 'tiny' }, nodeSelector: { 'crucible.dev/test-pool': 'none' } } },
    });
    await until('run labelled by the operator', async () => ((await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: TRAINING_RUN.plural, name: 'bus-run' })) as TrainingRun).metadata.labels?.['crucible.dev/run-id'], 60_000, 500);
    await bus.emit(TOPICS.trainingProgressed, { runId, step: 7, totalSteps: 50, loss: 3.25, learningRate: 1e-3, gradNorm: 0.5, tokensPerSecond: 1000 }, { key: runId });
    await bus.emit(TOPICS.trainingCheckpointed, { runId, step: 5, path: '/checkpoints/step-00000005', sha256: 'ab' }, { key: runId });
    const run = await until('status from the bus', async () => {
      const r = (await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: TRAINING_RUN.plural, name: 'bus-run' })) as TrainingRun;
      return r.status?.progress && r.status.lastCheckpoint ? r : undefined;
    }, 60_000, 500).catch((e: Error) => Promise.reject(new Error(`${e.message}\n${operator.output().split('\n').filter((l) => /"level":(40|50)/.test(l)).join('\n')}`)));
    expect(run.status!.progress).toEqual({ step: 7, totalSteps: 50, loss: 3.25 });
    expect(run.status!.lastCheckpoint).toEqual({ step: 5, path: '/checkpoints/step-00000005', sha256: 'ab' });
  });
});
