import type { TrainingRun } from '@crucible/crds';
import { describe, expect, it } from 'vitest';
import { dnsName } from './labels';
import { buildTrainingJob } from './training-job.builder';

const run = (spec: Partial<TrainingRun['spec']> = {}): TrainingRun => ({
  apiVersion: 'crucible.dev/v1alpha1',
  kind: 'TrainingRun',
  metadata: { name: 'sotu-1', namespace: 'ml', uid: 'u-1', generation: 1 },
  spec: { dataset: { id: 'sotu@1', manifestPath: '/data/m.json' }, model: { preset: 'tiny' }, ...spec },
});
const ctx = { defaults: { image: 'trainer:1', checkpointClaimName: 'ckpt', dataClaimName: 'data', tolerations: [] }, busEnv: { KAFKA_BROKERS: 'k:9092' } };

describe('buildTrainingJob', () => {
  it('requests the GPUs, tolerates the GPU taint, mounts the claims and points every attempt at the checkpoint dir', () => {
    const job = buildTrainingJob(run({ resources: { gpus: 2, memory: '8Gi' }, backoffLimit: 5, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 60 }), ctx);
    const pod = job.spec!.template.spec!;
    const c = pod.containers[0]!;
    expect(c.resources).toEqual({ requests: { memory: '8Gi' }, limits: { memory: '8Gi', 'nvidia.com/gpu': '2' } });
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(job.spec).toMatchObject({ backoffLimit: 5, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 60, suspend: false, podReplacementPolicy: 'Failed' });
    expect(job.spec!.podFailurePolicy!.rules[0]).toMatchObject({ action: 'FailJob', onExitCodes: { values: [3] } });
    expect(pod.volumes).toEqual([
      { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
      { name: 'checkpoints', persistentVolumeClaim: { claimName: 'ckpt' } },
    ]);
    expect(c.volumeMounts).toContainEqual({ name: 'checkpoints', mountPath: '/checkpoints', subPath: 'runs/sotu-1' });
    const env = Object.fromEntries(c.env!.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ KAFKA_BROKERS: 'k:9092', CRUCIBLE_RUN_ID: 'sotu-1', CRUCIBLE_RESUME_FROM: '/checkpoints', CRUCIBLE_DATA_DIR: '/data' });
    expect(JSON.parse(env.CRUCIBLE_TRAINING_JOB!)).toMatchObject({ runId: 'sotu-1', dataset: { id: 'sotu@1' } });
    expect(job.metadata!.ownerReferences).toEqual([{ apiVersion: 'crucible.dev/v1alpha1', kind: 'TrainingRun', name: 'sotu-1', uid: 'u-1', controller: true, blockOwnerDeletion: true }]);
  });

  it('passes the training service job through with pod paths', () => {
    const job = buildTrainingJob(run({ trainingJob: { runId: 'x', checkpointDir: '/host/path', hyper: { maxSteps: 5 } } }), ctx);
    const env = job.spec!.template.spec!.containers[0]!.env!;
    expect(JSON.parse(env.find((e) => e.name === 'CRUCIBLE_TRAINING_JOB')!.value!)).toEqual({
      runId: 'sotu-1', checkpointDir: '/checkpoints', resumeFrom: '/checkpoints', manifestPath: '/data/m.json', hyper: { maxSteps: 5 },
    });
  });

  it('keeps a CPU run off the GPU resource and fails without an image', () => {
    const job = buildTrainingJob(run({ resources: { gpus: 0 } }), ctx);
    expect(job.spec!.template.spec!.containers[0]!.resources!.limits?.['nvidia.com/gpu']).toBeUndefined();
    expect(() => buildTrainingJob(run(), { ...ctx, defaults: {} })).toThrow(/no trainer image/);
  });

  it('makes DNS names that stay unique when truncated', () => {
    expect(dnsName('a'.repeat(70), 'train')).toHaveLength(63);
    expect(dnsName('a'.repeat(70), 'train')).not.toBe(dnsName(`${'a'.repeat(69)}b`, 'train'));
    expect(dnsName('Sotu@3')).toMatch(/^sotu-3-[0-9a-f]{8}$/);
  });
});
