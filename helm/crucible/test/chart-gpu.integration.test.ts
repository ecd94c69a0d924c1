// The chart's GPU placement defaults against the real scheduler: a pod shaped like the
// operator's training pods (trainingPods → training-pod-defaults.json: GPU count, node
// selector, toleration, resources) lands on infra/k8s's GPU node, which carries the label and
// taint that the NVIDIA GPU Operator / device plugin setups use; without the toleration it
// stays unschedulable; the chart's ordinary service pods stay off the GPU node.
// kwok plays the kubelets (nothing runs); skipped on clusters without kwok's fake nodes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { kubeConfig, uniq, until, waitForDefaultServiceAccount } from '../../../infra/k8s/test/kube';
import { ofKind, render } from './chart';

const ns = uniq('crucible-gpu');
let core: k8s.CoreV1Api;
let kwok = false;
let docs: k8s.KubernetesObject[];

interface TrainingPodDefaults {
  gpus: number;
  nodeSelector: Record<string, string>;
  tolerations: k8s.V1Toleration[];
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
}

beforeAll(async () => {
  const kc = await kubeConfig();
  core = kc.makeApiClient(k8s.CoreV1Api);
  kwok = (await core.listNode()).items.some((n) => n.metadata?.annotations?.['kwok.x-k8s.io/node'] === 'fake');
  await core.createNamespace({ body: { metadata: { name: ns } } });
  await waitForDefaultServiceAccount(core, ns);
  docs = (await render({ namespace: ns })).docs;
}, 300_000);

afterAll(async () => {
  await core?.deleteNamespace({ name: ns }).catch(() => undefined);
});

function trainingPod(name: string, d: TrainingPodDefaults, tolerate: boolean): k8s.V1Pod {
  return {
    metadata: { name, namespace: ns },
    spec: {
      restartPolicy: 'Never',
      nodeSelector: d.nodeSelector,
      ...(tolerate ? { tolerations: d.tolerations } : {}),
      containers: [
        {
          name: 'trainer',
          image: 'registry.invalid/crucible-trainer-gpu:test',
          resources: { requests: d.resources.requests, limits: { ...d.resources.limits, 'nvidia.com/gpu': String(d.gpus) } },
        },
      ],
    },
  };
}

const nodeOf = (name: string) => until(`${name} scheduled`, async () => (await core.readNamespacedPod({ name, namespace: ns })).spec?.nodeName, 60_000);

describe('GPU placement with the chart defaults', { timeout: 120_000 }, () => {
  it('a training pod with trainingPods defaults is scheduled onto the GPU node', async (ctx) => {
    if (!kwok) ctx.skip();
    const cm = ofKind<k8s.V1ConfigMap>(docs, 'ConfigMap').find((c) => c.data?.['training-pod-defaults.json'])!;
    const defaults = JSON.parse(cm.data!['training-pod-defaults.json']!) as TrainingPodDefaults;
    await core.createNamespacedPod({ namespace: ns, body: trainingPod('trainer', defaults, true) });
    expect(await nodeOf('trainer')).toBe('kwok-gpu-0');

    // Without the toleration the GPU node's taint keeps it out, and no other node has GPUs.
    await core.createNamespacedPod({ namespace: ns, body: trainingPod('untolerated', defaults, false) });
    const condition = await until('untolerated pod reported unschedulable', async () => {
      const p = await core.readNamespacedPod({ name: 'untolerated', namespace: ns });
      return p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
    });
    expect(condition.message).toMatch(/taint|node affinity|selector|nvidia\.com\/gpu/);
  });

  it('the chart service pods (no GPU tolerations) stay off the GPU node', async (ctx) => {
    if (!kwok) ctx.skip();
    // The ingestion Deployment's pod template, which uses no claims, as a bare pod.
    const ingestion = ofKind<k8s.V1Deployment>(docs, 'Deployment').find((d) => d.metadata!.labels!['app.kubernetes.io/component'] === 'ingestion')!;
    const spec = { ...ingestion.spec!.template.spec!, serviceAccountName: 'default' };
    await core.createNamespacedPod({ namespace: ns, body: { metadata: { name: 'ingestion', namespace: ns }, spec } });
    expect(await nodeOf('ingestion')).toBe('kwok-cpu-0');
  });
});
