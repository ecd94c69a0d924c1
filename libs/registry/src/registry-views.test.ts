import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRegistry, type Registry } from './open-registry';
import { modelOverview, versionDetails } from './registry-views';
import { seedRegistry, tickingClock, type SeededRegistry } from './testing';

describe('registry views', () => {
  let registry: Registry;
  let seeded: SeededRegistry;
  beforeEach(async () => {
    registry = await openRegistry('sqlite::memory:', { now: tickingClock() });
    seeded = await seedRegistry(registry);
  });
  afterEach(() => registry.close());

  it('summarises each model with the verdicts of its latest version', async () => {
    expect(await modelOverview(registry)).toEqual([
      {
        name: 'sotu',
        versions: 3,
        latest: 'sotu@3',
        aliases: { champion: 'sotu@2', challenger: 'sotu@3' },
        latestVerdicts: { evaluation: expect.objectContaining({ passed: true }), safety: expect.objectContaining({ passed: false }) },
      },
    ]);
  });

  it('gathers a version with its aliases, reports, alias moves, run and loss curve', async () => {
    const details = await versionDetails(registry, 'sotu');
    expect(details?.version.id).toBe(seeded.champion);
    expect(details?.aliases).toEqual(['champion']);
    expect(details?.modelAliases).toEqual({ champion: 'sotu@2', challenger: 'sotu@3' });
    expect(details?.reports.evaluation?.verdict.passed).toBe(true);
    expect(details?.reports.safety?.kind).toBe('safety');
    expect(details?.aliasHistory.map((h) => `${h.fromVersionId}->${h.toVersionId}`)).toEqual(['sotu@1->sotu@2']);
    expect(details?.run?.runId).toBe('run-2');
    expect(details?.progress.map((p) => p.step)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40]);
    expect(await versionDetails(registry, 'sotu:shadow')).toBeUndefined();
    expect((await versionDetails(registry, 'sotu@1'))?.reports).toEqual({});
  });
});
