import { modelOverview, openRegistry, type Registry } from '@crucible/registry';
import { seedRegistry, versionInput } from '@crucible/registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatModelsTable } from './models-table';

describe('formatModelsTable', () => {
  let registry: Registry;
  beforeEach(async () => {
    registry = await openRegistry('sqlite::memory:');
    await seedRegistry(registry);
    await registry.models.registerVersion(versionInput('tiny', 'tiny-run'));
    await registry.models.setAlias('tiny', 'shadow', 'tiny@1');
  });
  afterEach(() => registry.close());

  it('shows versions, champion, challenger, latest and the latest verdicts per model', async () => {
    const lines = formatModelsTable(await modelOverview(registry)).split('\n');
    expect(lines[0]).toMatch(/^MODEL\s+VERSIONS\s+CHAMPION\s+CHALLENGER\s+LATEST\s+EVAL\s+SAFETY\s+OTHER ALIASES$/);
    expect(lines[1]?.split(/\s{2,}/)).toEqual(['sotu', '3', 'sotu@2', 'sotu@3', 'sotu@3', 'passed', 'FAILED', '-']);
    expect(lines[2]?.split(/\s{2,}/)).toEqual(['tiny', '1', '-', '-', 'tiny@1', '-', '-', 'shadow=tiny@1']);
  });

  it('says so when nothing is registered', () => {
    expect(formatModelsTable([])).toBe('No model versions yet.');
  });
});
