// The pods the operator creates — a TrainingRun's Job, a ModelDeployment's per-version
// Deployment — built with the chart's defaults files (training-pod-defaults.json,
// serving-pod-defaults.json, maximal values: SASL, CA mount, registry DSN by reference) against
// the real kube-apiserver's Pod Security Admission, in a namespace labelled
// `pod-security.kubernetes.io/enforce=restricted`: a Pod with each template's spec is admitted
// (server-side dry run), a Pod without the security context is refused (the control shows the
// label is enforced), and the Job and Deployment created for real get their pods created by the
// controllers in that namespace (PSA enforces on pods, which controller-manager creates).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import type { ModelDeployment, TrainingRun } from '@crucible/crds';
import { busEnvOf, loadOperatorConfig } from '../../../services/operator/src/config';
import { buildServingDeployment } from '../../../services/operator/src/model-deployment/serving-objects.builder';
import { ServingPodDefaultsSchema } from '../../../services/operator/src/model-deployment/serving-pod-defaults';
import { buildTrainingJob } from '../../../services/operator/src/training-run/training-job.builder';
import { TrainingPodDefaultsSchema } from '../../../services/operator/src/training-run/training-pod-defaults';
import { kubeConfig, uniq, until, waitForDefaultServiceAccount } from '../../../infra/k8s/test/kube';
import { exec, maximalValues, ofKind, render } from './chart';
import { tool } from '../../../infra/k8s/test/kube';
import { renderedEnv } from './rendered-env';

const ns = uniq('crucible-psa');
let core: k8s.CoreV1Api;
let objects: k8s.KubernetesObjectApi;
let job: k8s.V1Job;
let deployment: k8s.V1Deployment;

beforeAll(async () => {
  await exec(tool('install'), []);
  const kc = await kubeConfig();
  core = kc.makeApiClient(k8s.CoreV1Api);
  objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  await core.createNamespace({
    body: { metadata: { name: ns, labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' } } },
  });
  await waitForDefaultServiceAccount(core, ns);
  const docs = (await render({ namespace: ns, valuesFiles: [maximalValues] })).docs;
  const files = ofKind<k8s.V1ConfigMap>(docs, 'ConfigMap').find((c) => c.data?.['serving-pod-defaults.json'])!.data!;
  const config = loadOperatorConfig(renderedEnv(docs, 'operator'));
  const run: TrainingRun = {
    apiVersion: 'crucible.dev/v1alpha1',
    kind: 'TrainingRun',
    metadata: { name: 'psa-run', namespace: ns, uid: 'u-psa-run' },
    spec: { runId: 'psa-run', dataset: { id: 'sotu@1', manifestPath: '/var/lib/crucible/data/datasets/sotu/1/manifest.json' }, model: { preset: 'tiny' } },
  };
  const md: ModelDeployment = {
    apiVersion: 'crucible.dev/v1alpha1',
    kind: 'ModelDeployment',
    metadata: { name: 'psa', namespace: ns, uid: 'u-psa-md' },
    spec: { model: 'sotu', stableVersionId: 'sotu@3', serving: { image: 'registry.invalid/crucible:test', modelsClaimName: 'models' } },
  };
  // Built as the operator builds them; created without owners (the owners here are not real objects).
  job = buildTrainingJob(run, { defaults: TrainingPodDefaultsSchema.parse(JSON.parse(files['training-pod-defaults.json']!)), busEnv: busEnvOf(config) });
  deployment = buildServingDeployment(md, 'sotu@3', ServingPodDefaultsSchema.parse(JSON.parse(files['serving-pod-defaults.json']!)));
  for (const o of [job, deployment]) delete o.metadata!.ownerReferences;
  // The maximal values' PriorityClass is cluster-scoped and not the point here.
  delete job.spec!.template.spec!.priorityClassName;
  // The pods run as the chart's ServiceAccounts (the apiserver checks they exist).
  for (const sa of ofKind<k8s.V1ServiceAccount>(docs, 'ServiceAccount')) await core.createNamespacedServiceAccount({ namespace: ns, body: { ...sa, metadata: { ...sa.metadata, namespace: ns } } });
}, 600_000);

afterAll(async () => {
  await core?.deleteNamespace({ name: ns }).catch(() => undefined);
});

const podOf = (name: string, template: k8s.V1PodTemplateSpec): k8s.V1Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: template.metadata?.labels }, spec: template.spec! });
const dryRunCreate = (pod: k8s.V1Pod) => core.createNamespacedPod({ namespace: ns, body: pod, dryRun: 'All' });
const messageOf = (e: unknown) => String((e as { body?: unknown }).body ?? e);

describe('operator-made pods under Pod Security "restricted"', { timeout: 180_000 }, () => {
  it('carry the chart’s pod and container security contexts', () => {
    for (const spec of [job.spec!.template.spec!, deployment.spec!.template.spec!]) {
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
      expect(spec.containers[0]!.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ['ALL'] } });
      expect(spec.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '1Gi' } });
    }
  });

  it('a Pod with the trainer template’s spec and one with the serving template’s are admitted; one without the security context is refused', async () => {
    await expect(dryRunCreate(podOf('trainer', job.spec!.template))).resolves.toMatchObject({ metadata: { name: 'trainer' } });
    await expect(dryRunCreate(podOf('serving', deployment.spec!.template))).resolves.toMatchObject({ metadata: { name: 'serving' } });
    const bare = podOf('bare', { spec: { containers: [{ name: 'c', image: 'registry.invalid/x:1' }] } });
    const refused = await dryRunCreate(bare).then(() => undefined, messageOf);
    expect(refused, 'the namespace enforces restricted').toMatch(/violates PodSecurity \W*restricted/);
  });

  it('the Job and the Deployment created for real get their pods created by the controllers', async () => {
    await objects.create(job);
    await objects.create(deployment);
    const pods = await until(
      'pods of the Job and the Deployment',
      async () => {
        const items = (await core.listNamespacedPod({ namespace: ns })).items;
        const trainer = items.find((p) => p.metadata?.labels?.['job-name'] === job.metadata!.name);
        const serving = items.find((p) => p.metadata?.ownerReferences?.some((o) => o.kind === 'ReplicaSet'));
        return trainer && serving ? { trainer, serving } : undefined;
      },
      120_000,
    );
    expect(pods.trainer.spec!.securityContext!.runAsNonRoot).toBe(true);
    expect(pods.serving.spec!.containers[0]!.securityContext!.readOnlyRootFilesystem).toBe(true);
  });
});
