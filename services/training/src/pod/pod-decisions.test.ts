/** The pod's small decisions: exit codes the operator's Job acts on, execution providers, the checkpoint to resume from. */
import { EngineConfigError, TrainingDivergedError } from '@crucible/engine';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_DETERMINISTIC, EXIT_RETRIABLE, exitCodeFor } from './exit-code';
import { gpuVisible, podExecutionProviders } from './execution-providers';
import { PodJobError } from './pod-job.errors';
import { resumePoint } from './resume-point';

const dir = mkdtempSync(join(tmpdir(), 'pod-decisions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exitCodeFor', () => {
  it('exits 3 (the Job fails at once) for what a retry would repeat, 1 (retry from the checkpoint) otherwise', () => {
    expect(EXIT_DETERMINISTIC).toBe(3);
    expect(exitCodeFor(new PodJobError('invalid_training_job', 'no runId'))).toBe(3);
    expect(exitCodeFor(new EngineConfigError('CHECKPOINT_MISMATCH', 'differs'))).toBe(3);
    expect(exitCodeFor(new TrainingDivergedError(7, Number.NaN))).toBe(3);
    expect(exitCodeFor(new Error('ECONNRESET'))).toBe(EXIT_RETRIABLE);
    expect(exitCodeFor(Object.assign(new Error('broker down'), { retriable: true }))).toBe(1);
  });
});

describe('podExecutionProviders', () => {
  it('keeps the job’s choice, else CUDA when a GPU is visible; the pod setting overrides both', () => {
    expect(podExecutionProviders('auto', ['cuda'], false)).toEqual(['cuda']);
    expect(podExecutionProviders('auto', ['cpu'], true)).toEqual(['cpu']);
    expect(podExecutionProviders('auto', undefined, true)).toEqual(['cuda']);
    expect(podExecutionProviders('auto', undefined, false)).toBeUndefined();
    expect(podExecutionProviders('cpu', ['cuda'], true)).toEqual(['cpu']);
    expect(podExecutionProviders('cuda', undefined, false)).toEqual(['cuda']);
  });

  it('sees a GPU by its /dev/nvidia<N> device node, not by nvidiactl alone', () => {
    const dev = join(dir, 'dev');
    mkdirSync(dev);
    writeFileSync(join(dev, 'nvidiactl'), '');
    expect(gpuVisible(dev)).toBe(false);
    writeFileSync(join(dev, 'nvidia3'), '');
    expect(gpuVisible(dev)).toBe(true);
    expect(gpuVisible(join(dir, 'missing'))).toBe(false);
  });
});

describe('resumePoint', () => {
  const root = join(dir, 'checkpoints');
  const step = (n: number) => {
    const name = `step-${String(n).padStart(8, '0')}`;
    mkdirSync(join(root, name), { recursive: true });
    writeFileSync(join(root, name, 'trainer-state.json'), '{}');
    writeFileSync(join(root, 'latest'), name);
    return join(root, name);
  };

  it('starts fresh when the root has no checkpoint yet, even though the operator names it as resumeFrom', () => {
    mkdirSync(root, { recursive: true });
    expect(resumePoint({ resume: 'latest', root, jobResumeFrom: root })).toBeUndefined();
  });

  it('takes the newest checkpoint under the root with CRUCIBLE_RESUME=latest, else the job’s own checkpoint', () => {
    const second = step(2);
    expect(resumePoint({ resume: 'latest', root, jobResumeFrom: root })).toBe(second);
    const fourth = step(4);
    expect(resumePoint({ resume: 'latest', root })).toBe(fourth);
    expect(resumePoint({ root, jobResumeFrom: second })).toBe(second);
    expect(resumePoint({ resume: 'none', root, jobResumeFrom: second })).toBeUndefined();
  });
});
