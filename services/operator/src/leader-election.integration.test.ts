/**
 * Two operators against one Lease: only the holder reconciles; the other waits, and takes
 * over when the leader steps down (stop releases the Lease).
 */
import * as k8s from '@kubernetes/client-node';
import { TRAINING_RUN, type TrainingRun } from '@crucible/crds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operator } from './operator';
import { createCrucibleObject, deleteNamespace, getCrucibleObject, kubeSuite, sleep, testOperator, until } from './testing/kube-fixture';

let kc: k8s.KubeConfig;
let custom: k8s.CustomObjectsApi;
let coordination: k8s.CoordinationV1Api;
let ns: string;
const operators: Operator[] = [];

const lease = (namespace: string) => ({ namespace, name: 'crucible-operator', durationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 });
const createRun = (name: string) =>
  createCrucibleObject(custom, ns, TRAINING_RUN, name, { dataset: { id: 'd@1', manifestPath: '/m.json' }, model: { preset: 'tiny' }, nodeSelector: { 'crucible.dev/test-pool': 'none' } });
const getRun = (name: string) => getCrucibleObject<TrainingRun>(custom, ns, TRAINING_RUN, name);
const holder = async () => (await coordination.readNamespacedLease({ name: 'crucible-operator', namespace: ns })).spec?.holderIdentity;

beforeAll(async () => {
  ({ kc, ns } = await kubeSuite('op-leader'));
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
  coordination = kc.makeApiClient(k8s.CoordinationV1Api);
}, 15 * 60_000);

afterAll(async () => {
  for (const o of operators) await o.stop();
  if (ns) await deleteNamespace(kc, ns);
});

describe('leader election', { timeout: 120_000 }, () => {
  it('only the Lease holder reconciles; the standby takes over when it steps down', async () => {
    const a = testOperator(kc, ns, { identity: 'replica-a', lease: lease(ns) });
    operators.push(a);
    await a.start();
    await until('a leads', async () => a.isLeading && (await holder()) === 'replica-a', 30_000);
    const b = testOperator(kc, ns, { identity: 'replica-b', lease: lease(ns) });
    operators.push(b);
    await b.start();

    await createRun('one');
    await until('run reconciled by the leader', async () => (await getRun('one')).status?.phase, 30_000);
    // Several lease durations later the standby still waits.
    await sleep(4_000);
    expect(b.isLeading).toBe(false);
    expect(await holder()).toBe('replica-a');

    await a.stop();
    await until('b leads', async () => b.isLeading && (await holder()) === 'replica-b', 30_000);
    const l = await coordination.readNamespacedLease({ name: 'crucible-operator', namespace: ns });
    expect(l.spec!.leaseTransitions).toBe(1);
    await createRun('two');
    await until('run reconciled by the new leader', async () => (await getRun('two')).status?.phase, 30_000);
  });
});
