import type { TrainingRun } from '@crucible/crds';
import { describe, expect, it } from 'vitest';
import { dnsName } from './labels';
import { buildTrainingJob } from './training-job.builder';
import { mapPath, runVolumeLayout } from './volume-layout';

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
      { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
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

  it('runs the pod as the chart does: non-root uid 10001, read-only root, no capabilities, seccomp RuntimeDefault, /tmp writable, no API token', () => {
    const pod = buildTrainingJob(run(), ctx).spec!.template.spec!;
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0]!.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ['ALL'] } });
    expect(pod.containers[0]!.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(pod.automountServiceAccountToken).toBe(false);
    // The chart's uid/gid when it sets others.
    const custom = buildTrainingJob(run(), { ...ctx, defaults: { ...ctx.defaults, securityContext: { runAsUser: 2000, runAsGroup: 3000, fsGroup: 4000 } } }).spec!.template.spec!;
    expect(custom.securityContext).toMatchObject({ runAsUser: 2000, runAsGroup: 3000, fsGroup: 4000, runAsNonRoot: true });
  });

  it('takes the SASL password, registry DSN and Kafka CA from the chart defaults by reference; the run’s own env wins', () => {
    const defaults = {
      ...ctx.defaults,
      env: [
        { name: 'KAFKA_SASL_USERNAME', valueFrom: { secretKeyRef: { name: 'kafka', key: 'username' } } },
        { name: 'KAFKA_SASL_PASSWORD', valueFrom: { secretKeyRef: { name: 'kafka', key: 'password' } } },
        { name: 'CRUCIBLE_REGISTRY_URL', valueFrom: { secretKeyRef: { name: 'pg', key: 'dsn' } } },
        { name: 'NODE_EXTRA_CA_CERTS', value: '/etc/crucible/kafka-ca/ca.crt' },
        { name: 'KAFKA_BROKERS', value: 'from-defaults:9093' },
      ],
      envFrom: [{ configMapRef: { name: 'crucible-common' } }],
      mounts: [{ name: 'kafka-ca', mountPath: '/etc/crucible/kafka-ca', secret: { secretName: 'kafka-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }],
    };
    const job = buildTrainingJob(run({ env: [{ name: 'CRUCIBLE_REGISTRY_URL', valueFrom: { secretKeyRef: { name: 'other', key: 'dsn' } } }, { name: 'EXTRA', value: '1' }] }), { ...ctx, defaults });
    const c = job.spec!.template.spec!.containers[0]!;
    const byName = new Map(c.env!.map((e) => [e.name, e]));
    expect(byName.size, 'no variable twice').toBe(c.env!.length);
    expect(byName.get('KAFKA_SASL_PASSWORD')).toEqual({ name: 'KAFKA_SASL_PASSWORD', valueFrom: { secretKeyRef: { name: 'kafka', key: 'password' } } });
    expect(byName.get('CRUCIBLE_REGISTRY_URL')!.valueFrom!.secretKeyRef).toEqual({ name: 'other', key: 'dsn' });
    expect(byName.get('KAFKA_BROKERS')!.value).toBe('from-defaults:9093');
    expect(byName.get('EXTRA')!.value).toBe('1');
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'crucible-common' } }]);
    expect(c.volumeMounts).toContainEqual({ name: 'kafka-ca', mountPath: '/etc/crucible/kafka-ca', readOnly: true });
    expect(job.spec!.template.spec!.volumes).toContainEqual({ name: 'kafka-ca', secret: { secretName: 'kafka-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
    expect(() => buildTrainingJob(run({ env: [{ name: 'X', value: 'v', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }), ctx)).toThrow(/value and valueFrom are exclusive/);
  });

  it('lays out the volumes once: checkpoints at /checkpoints, reported under the services’ mount; the service’s data paths moved to the pod’s', () => {
    const defaults = { ...ctx.defaults, sharedMounts: { data: '/var/lib/crucible/data', checkpoints: '/var/lib/crucible/checkpoints' } };
    const trainingJob = {
      runId: 'r1', attempt: 1, manifestPath: '/var/lib/crucible/data/datasets/sotu/1/manifest.json', baseModelDir: '/var/lib/crucible/data/models/sotu/2',
      checkpointDir: '/var/lib/crucible/data/runs/r1/checkpoints', hyper: { maxSteps: 5 },
    };
    const job = buildTrainingJob(run({ runId: 'r1', dataset: { id: 'sotu@1', manifestPath: trainingJob.manifestPath }, trainingJob }), { ...ctx, defaults });
    const env = Object.fromEntries(job.spec!.template.spec!.containers[0]!.env!.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
    expect(env.CRUCIBLE_CHECKPOINT_DIR).toBe('/checkpoints');
    expect(env.CRUCIBLE_CHECKPOINT_SHARED_DIR).toBe('/var/lib/crucible/checkpoints/runs/r1');
    expect(env.CRUCIBLE_DATASET_MANIFEST).toBe('/data/datasets/sotu/1/manifest.json');
    expect(JSON.parse(env.CRUCIBLE_TRAINING_JOB!)).toMatchObject({
      manifestPath: '/data/datasets/sotu/1/manifest.json', baseModelDir: '/data/models/sotu/2', checkpointDir: '/checkpoints', resumeFrom: '/checkpoints',
    });
    // The checkpoint claim's sub-path is the run's root on the services' side.
    expect(job.spec!.template.spec!.containers[0]!.volumeMounts).toContainEqual({ name: 'checkpoints', mountPath: '/checkpoints', subPath: 'runs/r1' });
  });

  it('maps paths between the two views of a claim, and only paths inside it', () => {
    expect(mapPath('/var/lib/crucible/data/datasets/a/1/manifest.json', '/var/lib/crucible/data', '/data')).toBe('/data/datasets/a/1/manifest.json');
    expect(mapPath('/var/lib/crucible/data', '/var/lib/crucible/data/', '/data')).toBe('/data');
    expect(mapPath('/var/lib/crucible/database/x', '/var/lib/crucible/data', '/data')).toBe('/var/lib/crucible/database/x');
    expect(mapPath('/other/m.json', '/var/lib/crucible/data', '/data')).toBe('/other/m.json');
    const base = { ...run(), spec: { ...run().spec, runId: 'r2' } };
    // A claim the TrainingRun names itself: no shared view unless it says where the services mount it.
    const own = runVolumeLayout({ ...base, spec: { ...base.spec, volumes: { checkpoints: { claimName: 'mine' } } } }, 'r2', { checkpointClaimName: 'ckpt', sharedMounts: { checkpoints: '/c' } });
    expect(own.sharedCheckpointDir).toBeUndefined();
    const told = runVolumeLayout({ ...base, spec: { ...base.spec, volumes: { checkpoints: { claimName: 'mine', sharedMountPath: '/mnt/mine', subPath: 'x/r2' } } } }, 'r2', {});
    expect(told).toMatchObject({ checkpointDir: '/checkpoints', sharedCheckpointDir: '/mnt/mine/x/r2' });
    // No claim: an emptyDir, nothing the services could read.
    expect(runVolumeLayout(base, 'r2', { sharedMounts: { checkpoints: '/c' } }).sharedCheckpointDir).toBeUndefined();
  });

  it('makes DNS names that stay unique when truncated', () => {
    expect(dnsName('a'.repeat(70), 'train')).toHaveLength(63);
    expect(dnsName('a'.repeat(70), 'train')).not.toBe(dnsName(`${'a'.repeat(69)}b`, 'train'));
    expect(dnsName('Sotu@3')).toMatch(/^sotu-3-[0-9a-f]{8}$/);
  });
});
