/**
 * TrainingRun against the real control plane (etcd, kube-apiserver, controller-manager,
 * scheduler) with kwok playing the GPU node: the operator's Job runs its pod on `kwok-gpu-0`
 * and completes; a failed pod is replaced by one that resumes from the checkpoint directory;
 * suspend cancels; deletion cleans up through the finalizer.
 */
import * as k8s from '@kubernetes/client-node';
import { GROUP, TRAINING_RUN, VERSION, type TrainingRun } from '@crucible/crds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusOf } from '../kube/kube-api';
import type { Operator } from '../operator';
import { createCrucibleObject, deleteNamespace, eventsFor, getCrucibleObject, kubeSuite, testOperator, until } from '../testing/kube-fixture';
import { FINALIZER } from './labels';

let kc: k8s.KubeConfig;
let custom: k8s.CustomObjectsApi;
let core: k8s.CoreV1Api;
let batch: k8s.BatchV1Api;
let ns: string;
let operator: Operator;

const getRun = (name: string) => getCrucibleObject<TrainingRun>(custom, ns, TRAINING_RUN, name);
const createRun = (name: string, spec: Partial<TrainingRun['spec']> = {}) =>
  createCrucibleObject(custom, ns, TRAINING_RUN, name, {
    runId: `run-${name}`,
    dataset: { id: 'sotu@1', manifestPath: '/data/datasets/sotu/1/manifest.json' },
    model: { name: 'sotu', preset: 'tiny' },
    hyperParameters: { steps: 100, batchSize: 8 },
    resources: { gpus: 1, cpu: '2', memory: '4Gi' },
    nodeSelector: { 'nvidia.com/gpu.present': 'true' },
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    volumes: { checkpoints: { claimName: 'checkpoints' } },
    ...spec,
  });
const podsOf = async (name: string) => (await core.listNamespacedPod({ namespace: ns, labelSelector: `crucible.dev/training-run=${name}` })).items;

/**
 * Writes a pod's status as a kubelet would, from the pod's latest version: the scheduler may
 * have updated the status (PodScheduled=False) since the test read it, and a replace with the
 * older resourceVersion is a 409 Conflict; re-read and try again.
 */
async function writePodStatus(pod: k8s.V1Pod, write: (latest: k8s.V1Pod) => Promise<unknown>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const latest = await core.readNamespacedPod({ name: pod.metadata!.name!, namespace: ns });
    try {
      await write(latest);
      return;
    } catch (error) {
      if ((error as { code?: number }).code !== 409 || attempt >= 5) throw error;
    }
  }
}

/** What kwok (or a kubelet) writes when the trainer container exits non-zero. */
async function failPod(stale: k8s.V1Pod, exitCode = 1): Promise<void> {
  await writePodStatus(stale, (pod) => failPodAt(pod, exitCode));
}

async function failPodAt(pod: k8s.V1Pod, exitCode: number): Promise<void> {
  const now = new Date();
  await core.replaceNamespacedPodStatus({
    name: pod.metadata!.name!,
    namespace: ns,
    body: {
      ...pod,
      status: {
        ...pod.status,
        phase: 'Failed',
        containerStatuses: [
          {
            name: 'trainer',
            image: pod.spec!.containers[0]!.image!,
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode, reason: 'Error', startedAt: now, finishedAt: now } },
          },
        ],
      },
    },
  });
}

async function succeedPod(stale: k8s.V1Pod): Promise<void> {
  await writePodStatus(stale, (pod) => succeedPodAt(pod));
}

async function succeedPodAt(pod: k8s.V1Pod): Promise<void> {
  const now = new Date();
  await core.replaceNamespacedPodStatus({
    name: pod.metadata!.name!,
    namespace: ns,
    body: {
      ...pod,
      status: {
        ...pod.status,
        phase: 'Succeeded',
        containerStatuses: [
          { name: 'trainer', image: pod.spec!.containers[0]!.image!, imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } } },
        ],
      },
    },
  });
}

beforeAll(async () => {
  ({ kc, ns } = await kubeSuite('op-train'));
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
  core = kc.makeApiClient(k8s.CoreV1Api);
  batch = kc.makeApiClient(k8s.BatchV1Api);
  operator = testOperator(kc, ns);
  await operator.start();
}, 15 * 60_000);

afterAll(async () => {
  await operator?.stop();
  if (ns) await deleteNamespace(kc, ns);
});

describe('TrainingRun', { timeout: 180_000 }, () => {
  it('runs a GPU Job on the kwok GPU node to Succeeded, with conditions, Events and a finalizer', async () => {
    // No claim: the scheduler would hold a pod whose PVC does not exist; checkpoints go to an emptyDir.
    await createRun('ok', { volumes: undefined });
    const run = await until('run Succeeded', async () => {
      const r = await getRun('ok');
      return r.status?.phase === 'Succeeded' ? r : undefined;
    }, 120_000, 500);

    const job = await batch.readNamespacedJob({ name: run.status!.jobName!, namespace: ns });
    const container = job.spec!.template.spec!.containers[0]!;
    expect(container.resources!.limits!['nvidia.com/gpu']).toBe('1');
    expect(job.metadata!.ownerReferences![0]).toMatchObject({ kind: 'TrainingRun', name: 'ok', controller: true });
    const pods = await podsOf('ok');
    expect(pods).toHaveLength(1);
    expect(pods[0]!.spec!.nodeName).toBe('kwok-gpu-0');
    expect(pods[0]!.status!.phase).toBe('Succeeded');

    expect(run.metadata.finalizers).toContain(FINALIZER);
    expect(run.status).toMatchObject({ attempts: 1, observedGeneration: 1 });
    expect(run.status!.startTime).toBeTruthy();
    expect(run.status!.completionTime).toBeTruthy();
    const byType = Object.fromEntries(run.status!.conditions!.map((c) => [c.type, c]));
    expect(byType.Ready).toMatchObject({ status: 'True', reason: 'JobComplete', observedGeneration: 1 });
    expect(byType.Progressing).toMatchObject({ status: 'False' });
    expect(byType.Failed).toMatchObject({ status: 'False' });
    const events = await until('Succeeded event', async () => {
      const e = await eventsFor(kc, ns, 'ok');
      return e.some((x) => x.reason === 'Succeeded') ? e : undefined;
    });
    expect(events.map((e) => e.reason)).toEqual(expect.arrayContaining(['JobCreated', 'Succeeded']));
  });

  it('replaces a failed pod with one that resumes from the checkpoint directory', async () => {
    // No node has this label: pods stay Pending, so the test (not kwok) decides how each attempt ends.
    await createRun('retry', { nodeSelector: { 'crucible.dev/test-pool': 'none' }, backoffLimit: 2 });
    const first = await until('first pod', async () => (await podsOf('retry'))[0]);
    // What the bus consumer writes when the trainer reports a checkpoint.
    await until('status written', async () => (await getRun('retry')).status?.phase);
    await custom.patchNamespacedCustomObjectStatus(
      { group: GROUP, version: VERSION, namespace: ns, plural: TRAINING_RUN.plural, name: 'retry', body: { status: { lastCheckpoint: { step: 40, path: '/checkpoints/step-00000040' }, progress: { step: 42, totalSteps: 100, loss: 3.1 } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await failPod(first);

    const second = await until('replacement pod', async () => (await podsOf('retry')).find((p) => p.metadata!.name !== first.metadata!.name), 90_000, 500);
    const env = Object.fromEntries(second.spec!.containers[0]!.env!.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
    expect(env.CRUCIBLE_RESUME_FROM).toBe('/checkpoints');
    expect(env.CRUCIBLE_CHECKPOINT_DIR).toBe('/checkpoints');
    expect(env.CRUCIBLE_RUN_ID).toBe('run-retry');
    // The Job controller's pods keep the operator's restricted security context.
    expect(second.spec!.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(second.spec!.containers[0]!.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    const mount = second.spec!.containers[0]!.volumeMounts!.find((m) => m.name === 'checkpoints')!;
    expect(mount).toMatchObject({ mountPath: '/checkpoints', subPath: 'runs/run-retry' });
    expect(second.spec!.volumes!.find((v) => v.name === 'checkpoints')!.persistentVolumeClaim!.claimName).toBe('checkpoints');

    const retried = await until('attempts = 2', async () => {
      const r = await getRun('retry');
      return r.status?.attempts === 2 ? r : undefined;
    });
    expect(retried.status!.lastCheckpoint).toEqual({ step: 40, path: '/checkpoints/step-00000040' });
    const events = await until('PodFailed event', async () => (await eventsFor(kc, ns, 'retry')).find((e) => e.reason === 'PodFailed'));
    expect(events.message).toContain('exit code 1');
    expect(events.message).toContain('attempt 2 resumes from checkpoint step 40 (/checkpoints/step-00000040)');

    await succeedPod(second);
    const done = await until('run Succeeded after a retry', async () => {
      const r = await getRun('retry');
      return r.status?.phase === 'Succeeded' ? r : undefined;
    }, 60_000, 500);
    expect(done.status!.attempts).toBe(2);
    expect(done.status!.progress).toEqual({ step: 42, totalSteps: 100, loss: 3.1 });
  });

  it('fails the run when the Job exhausts its retries', async () => {
    await createRun('doomed', { nodeSelector: { 'crucible.dev/test-pool': 'none' }, backoffLimit: 0 });
    const pod = await until('pod', async () => (await podsOf('doomed'))[0]);
    await failPod(pod, 1);
    const run = await until('run Failed', async () => {
      const r = await getRun('doomed');
      return r.status?.phase === 'Failed' ? r : undefined;
    }, 60_000, 500);
    const failed = run.status!.conditions!.find((c) => c.type === 'Failed')!;
    expect(failed).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
  });

  it('cancels through spec.suspend: the Job is suspended, its pods go, the run is Cancelled', async () => {
    await createRun('cancel', { nodeSelector: { 'crucible.dev/test-pool': 'none' } });
    await until('pod', async () => (await podsOf('cancel'))[0]);
    await custom.patchNamespacedCustomObject(
      { group: GROUP, version: VERSION, namespace: ns, plural: TRAINING_RUN.plural, name: 'cancel', body: { spec: { suspend: true } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const run = await until('run Cancelled', async () => {
      const r = await getRun('cancel');
      return r.status?.phase === 'Cancelled' ? r : undefined;
    }, 60_000, 500);
    expect((await batch.readNamespacedJob({ name: run.status!.jobName!, namespace: ns })).spec!.suspend).toBe(true);
    expect((await podsOf('cancel')).filter((p) => !p.metadata!.deletionTimestamp)).toHaveLength(0);
  });

  it('on deletion the finalizer removes the Job and its pods, then the run disappears', async () => {
    await createRun('gone', { nodeSelector: { 'crucible.dev/test-pool': 'none' } });
    await until('pod', async () => (await podsOf('gone'))[0]);
    const jobName = await until('job name in status', async () => (await getRun('gone')).status?.jobName);
    await custom.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: TRAINING_RUN.plural, name: 'gone' });
    await until('run gone', () => getRun('gone').then(() => false, (e: unknown) => statusOf(e) === 404), 60_000, 500);
    // The finalizer released the run only after both were gone.
    expect(await batch.readNamespacedJob({ name: jobName, namespace: ns }).then(() => 'present', (e: unknown) => statusOf(e))).toBe(404);
    expect(await podsOf('gone')).toHaveLength(0);
  });
});
