import type * as k8s from '@kubernetes/client-node';
import type { TrainingRun } from '@crucible/crds';
import { describe, expect, it } from 'vitest';
import { deriveTrainingRunStatus } from './training-run.status';

const now = new Date('2026-01-01T00:00:00Z');
const run = (extra: Partial<TrainingRun> = {}): TrainingRun => ({
  apiVersion: 'crucible.dev/v1alpha1',
  kind: 'TrainingRun',
  metadata: { name: 'r', namespace: 'ns', generation: 2 },
  spec: { dataset: { id: 'd', manifestPath: '/m' }, model: {} },
  ...extra,
});
const pod = (name: string, phase: string, exitCode?: number): k8s.V1Pod => ({
  metadata: { name, creationTimestamp: new Date(`2026-01-01T00:00:0${name.at(-1)}Z`) },
  status: { phase, ...(exitCode !== undefined ? { containerStatuses: [{ name: 'trainer', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, reason: 'Error' } } }] } : {}) },
});
const job = (status: k8s.V1JobStatus): k8s.V1Job => ({ metadata: { name: 'r-train' }, status });

describe('deriveTrainingRunStatus', () => {
  it('is Running with the previous failure in the message while a retry runs', () => {
    const s = deriveTrainingRunStatus({ run: run(), job: job({ active: 1, failed: 1 }), pods: [pod('p1', 'Failed', 1), pod('p2', 'Running')], now });
    expect(s).toMatchObject({ phase: 'Running', attempts: 2, observedGeneration: 2, message: 'attempt 2; previous pod p1 exit code 1 (Error)' });
    expect(s.conditions!.map((c) => `${c.type}=${c.status}`)).toEqual(['Failed=False', 'Progressing=True', 'Ready=False']);
  });

  it('mirrors Job completion and failure', () => {
    const done = deriveTrainingRunStatus({ run: run(), job: job({ succeeded: 1, completionTime: now, conditions: [{ type: 'Complete', status: 'True' }] }), pods: [], now });
    expect(done).toMatchObject({ phase: 'Succeeded', completionTime: '2026-01-01T00:00:00Z' });
    const failed = deriveTrainingRunStatus({ run: run(), job: job({ failed: 4, conditions: [{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'too slow' }] }), pods: [], now });
    expect(failed).toMatchObject({ phase: 'Failed', message: 'too slow', attempts: 4 });
    expect(failed.conditions!.find((c) => c.type === 'Failed')).toMatchObject({ status: 'True', reason: 'DeadlineExceeded' });
  });

  it('keeps a finished run finished after its Job is collected, and keeps bus-written fields', () => {
    const previous = run({ status: { phase: 'Succeeded', attempts: 1, progress: { step: 9, totalSteps: 9 }, lastCheckpoint: { step: 9, path: '/c' }, modelVersionId: 'm@1', completionTime: 'x' } });
    expect(deriveTrainingRunStatus({ run: previous, pods: [], now })).toMatchObject({ phase: 'Succeeded', progress: { step: 9 }, lastCheckpoint: { path: '/c' }, modelVersionId: 'm@1' });
  });

  it('is Cancelled once a suspended run has no active pod', () => {
    const suspended = run({ spec: { ...run().spec, suspend: true } });
    expect(deriveTrainingRunStatus({ run: suspended, job: job({}), pods: [pod('p1', 'Running')], now }).phase).toBe('Running');
    expect(deriveTrainingRunStatus({ run: suspended, job: job({}), pods: [], now }).phase).toBe('Cancelled');
  });

  it('reports an invalid spec as Failed', () => {
    expect(deriveTrainingRunStatus({ run: run(), pods: [], now, invalidSpec: 'resources.gpus: too small' })).toMatchObject({ phase: 'Failed', message: 'resources.gpus: too small' });
  });
});
