/**
 * The Kubernetes launcher against the real kube-apiserver from infra/: it creates the
 * TrainingRun for a run and maps the status the operator writes (played here by the test,
 * through the status subresource) back to the listener and the attempt's exit.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { GROUP, TRAINING_RUN, VERSION, crdFiles, type TrainingRun, type TrainingRunStatus } from '@crucible/crds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobCheckpoint, JobFinished, JobProgress, LaunchListener, TrainingJob } from '../launcher';
import { KubernetesLauncher } from './kubernetes.launcher';
import { trainingRunNameOf } from './training-run.mapping';

const REPO_ROOT = path.resolve(__dirname, '../../../../..');
let kc: k8s.KubeConfig;
let custom: k8s.CustomObjectsApi;
let ns: string;
const launchers: KubernetesLauncher[] = [];
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

function kubeconfigPath(): Promise<string> {
  if (process.env.KUBECONFIG) return Promise.resolve(process.env.KUBECONFIG);
  return new Promise((resolve, reject) =>
    execFile(path.join(REPO_ROOT, 'infra/k8s/up'), { timeout: 90 * 60_000, maxBuffer: 16 << 20 }, (e, out, err) => (e ? reject(new Error(err || e.message)) : resolve(out.trim().split('\n').at(-1)!.trim()))),
  );
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const job = (runId: string): TrainingJob => ({
  runId,
  attempt: 1,
  config: { vocabSize: 512, contextLength: 64, layers: 2, heads: 2, embedDim: 64 } as unknown as TrainingJob['config'],
  manifestPath: '/data/datasets/sotu/3/manifest.json',
  hyper: { maxSteps: 20, batchSize: 4, seqLen: 64, seed: 7 } as TrainingJob['hyper'],
  checkpointDir: `/data/runs/${runId}/checkpoints`,
});

function recorder() {
  const seen = { progress: [] as JobProgress[], checkpoints: [] as JobCheckpoint[], finished: [] as JobFinished[] };
  const listener: LaunchListener = {
    onProgress: (p) => seen.progress.push(p),
    onCheckpoint: (c) => seen.checkpoints.push(c),
    onFinished: (f) => seen.finished.push(f),
  };
  return { seen, listener };
}

/** Writes status as the operator would. */
const writeStatus = (runId: string, status: TrainingRunStatus) =>
  custom.patchNamespacedCustomObjectStatus({ group: GROUP, version: VERSION, namespace: ns, plural: TRAINING_RUN.plural, name: trainingRunNameOf(runId), body: { status } }, merge);
const getRun = (runId: string) => custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: TRAINING_RUN.plural, name: trainingRunNameOf(runId) }) as Promise<TrainingRun>;

function launcher(): KubernetesLauncher {
  const l = new KubernetesLauncher({ kubeConfig: kc, namespace: ns, pollMs: 100, template: { gpus: 2, checkpointClaim: 'checkpoints', backoffLimit: 4 } });
  launchers.push(l);
  return l;
}

beforeAll(async () => {
  kc = new k8s.KubeConfig();
  kc.loadFromFile(await kubeconfigPath());
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  for (const crd of Object.values(crdFiles()) as unknown as k8s.V1CustomResourceDefinition[]) {
    // Create, or bring an older installed version up to this schema.
    await ext.createCustomResourceDefinition({ body: crd }).catch(async (e: { code?: number }) => {
      if (e.code !== 409) throw e;
      const current = await ext.readCustomResourceDefinition({ name: crd.metadata!.name! });
      await ext.replaceCustomResourceDefinition({ name: crd.metadata!.name!, body: { ...crd, metadata: { ...crd.metadata, resourceVersion: current.metadata!.resourceVersion! } } });
    });
  }
  await until('TrainingRuns served', () => custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: TRAINING_RUN.plural }).then(() => true));
  ns = `launcher-${Date.now().toString(36)}`;
  await kc.makeApiClient(k8s.CoreV1Api).createNamespace({ body: { metadata: { name: ns } } });
}, 15 * 60_000);

afterAll(async () => {
  for (const l of launchers) await l.close();
  if (ns) await kc.makeApiClient(k8s.CoreV1Api).deleteNamespace({ name: ns }).catch(() => undefined);
});

describe('KubernetesLauncher', { timeout: 60_000 }, () => {
  it('creates the TrainingRun and reports progress, checkpoints and the finish from its status', async () => {
    const { seen, listener } = recorder();
    const handle = launcher().launch(job('r1'), listener);
    const run = await until('TrainingRun created', () => getRun('r1'));
    expect(run.spec).toMatchObject({
      runId: 'r1',
      dataset: { id: 'sotu@3', manifestPath: '/data/datasets/sotu/3/manifest.json' },
      hyperParameters: { steps: 20, batchSize: 4, sequenceLength: 64, seed: 7 },
      resources: { gpus: 2 },
      volumes: { checkpoints: { claimName: 'checkpoints' } },
      backoffLimit: 4,
    });
    expect(run.spec.trainingJob).toMatchObject({ runId: 'r1', hyper: { maxSteps: 20 } });

    await writeStatus('r1', { phase: 'Running', progress: { step: 10, totalSteps: 20, loss: 4.2 }, lastCheckpoint: { step: 10, path: '/checkpoints/step-00000010', sha256: 'abc' } });
    await until('progress heard', async () => seen.checkpoints.length === 1);
    expect(seen.progress.at(-1)).toMatchObject({ step: 10, maxSteps: 20, loss: 4.2 });
    expect(seen.checkpoints).toEqual([{ step: 10, path: '/checkpoints/step-00000010', sha256: 'abc' }]);

    await writeStatus('r1', { phase: 'Succeeded', progress: { step: 20, totalSteps: 20, loss: 3.9 }, lastCheckpoint: { step: 20, path: '/checkpoints/step-00000020', sha256: 'def' } });
    expect(await handle.exit).toEqual({ outcome: 'finished' });
    expect(seen.finished).toEqual([{ step: 20, path: '/checkpoints/step-00000020', sha256: 'def', loss: 3.9 }]);
    expect(seen.checkpoints).toHaveLength(1);
  });

  it('ends the attempt as failed (not retriable) when the TrainingRun fails', async () => {
    const { listener } = recorder();
    const handle = launcher().launch(job('r2'), listener);
    await until('created', () => getRun('r2'));
    await writeStatus('r2', { phase: 'Failed', message: 'Job has reached the specified backoff limit' });
    expect(await handle.exit).toEqual({ outcome: 'failed', reason: 'Job has reached the specified backoff limit', retriable: false });
  });

  it('cancels through spec.suspend and ends as cancelled', async () => {
    const l = launcher();
    const { listener } = recorder();
    const handle = l.launch(job('r3'), listener);
    await until('created', () => getRun('r3'));
    await writeStatus('r3', { phase: 'Running' });
    expect(await l.cancel('r3')).toBe(true);
    expect((await getRun('r3')).spec.suspend).toBe(true);
    await writeStatus('r3', { phase: 'Cancelled' });
    expect(await handle.exit).toEqual({ outcome: 'cancelled' });
    expect(await l.cancel('r3')).toBe(false);
  });

  it('re-attaches to a run still going after the service restarts', async () => {
    const first = launcher();
    const handle = first.launch(job('r4'), recorder().listener);
    await until('created', () => getRun('r4'));
    await writeStatus('r4', { phase: 'Running', progress: { step: 5, totalSteps: 20 } });
    await first.close();
    expect(await handle.exit).toEqual({ outcome: 'stopped' });

    const second = launcher();
    const { seen, listener } = recorder();
    const again = await second.reattach(job('r4'), listener);
    expect(again).toBeDefined();
    await writeStatus('r4', { phase: 'Succeeded', progress: { step: 20, totalSteps: 20, loss: 3 }, lastCheckpoint: { step: 20, path: '/c/20' } });
    expect(await again!.exit).toEqual({ outcome: 'finished' });
    expect(seen.progress.map((p) => p.step)).toEqual([20]);
    expect(await second.reattach(job('r4'), listener)).toBeUndefined();
  });
});
