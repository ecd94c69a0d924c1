import { describe, expect, it } from 'vitest';
import { datasetIdOf, signalsBetween, trainingRunNameOf } from './training-run.mapping';

describe('TrainingRun mapping', () => {
  it('names runs and datasets', () => {
    expect(trainingRunNameOf('Run_42/x')).toBe('train-run-42-x');
    expect(datasetIdOf('/data/datasets/sotu/3/manifest.json')).toBe('sotu@3');
    expect(datasetIdOf('/elsewhere/m.json')).toBe('/elsewhere/m.json');
  });

  it('reports only what moved forward, and ends on terminal phases', () => {
    const running = { phase: 'Running' as const, progress: { step: 5, totalSteps: 10, loss: 2 }, lastCheckpoint: { step: 4, path: '/c/4' } };
    expect(signalsBetween(undefined, running).map((s) => s.kind)).toEqual(['progress', 'checkpoint']);
    expect(signalsBetween(running, running)).toEqual([]);
    expect(signalsBetween(running, { ...running, phase: 'Cancelled' })).toEqual([{ kind: 'exit', exit: { outcome: 'cancelled' } }]);
    const noCheckpoint = signalsBetween(undefined, { phase: 'Succeeded' });
    expect(noCheckpoint).toEqual([{ kind: 'exit', exit: { outcome: 'failed', reason: 'the TrainingRun succeeded but reported no final checkpoint', retriable: false } }]);
  });
});
