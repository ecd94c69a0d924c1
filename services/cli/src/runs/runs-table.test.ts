import { openRegistry, type Registry } from '@crucible/registry';
import { progressAt, seedRegistry, tickingClock } from '@crucible/registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatNumber } from '../report/text-table';
import { formatRunsTable } from './runs-table';

describe('formatRunsTable', () => {
  let registry: Registry;
  beforeEach(async () => {
    // One second per registry write: start and finish stamps are exact.
    registry = await openRegistry('sqlite::memory:', { now: tickingClock('2026-03-01T09:00:00.000Z') });
    await seedRegistry(registry);
  });
  afterEach(() => registry.close());

  it('shows one aligned line per run, newest first, with step/total, last loss, start and duration', async () => {
    const runs = await registry.runs.list();
    const running = runs.find((r) => r.runId === 'run-5');
    const now = new Date(Date.parse(running?.startedAt ?? '') + 3_725_000);
    const lines = formatRunsTable(runs, now).split('\n');
    expect(lines[0]).toMatch(/^RUN\s+MODEL\s+DATASET\s+STATUS\s+STEP\s+LOSS\s+STARTED\s+DURATION$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[0])).toEqual(['run-5', 'run-4', 'run-3', 'run-2', 'run-1']);
    const loss = (step: number) => formatNumber(progressAt('r', step).loss).replace('.', '\\.');
    expect(lines[1]).toMatch(new RegExp(`^run-5\\s+sotu\\s+ds-sotu\\s+running\\s+10/40\\s+${loss(10)}\\s+2026-03-01 09:\\d\\d\\s+1h02m$`));
    expect(lines[2]).toMatch(/^run-4\s+sotu\s+ds-sotu\s+failed\s+5\/40\s+5\.5\s+/);
    // run-1 ran for a few ticking-clock seconds: from its `running` update to `succeeded`.
    expect(lines[5]).toMatch(new RegExp(`succeeded\\s+40/40\\s+${loss(40)}\\s+2026-03-01 09:00\\s+\\d+s$`));
    const widths = new Set(lines.map((l) => l.indexOf('ds-sotu') === -1 ? lines[0]?.indexOf('DATASET') : l.indexOf('ds-sotu')));
    expect(widths.size).toBe(1);
  });

  it('says so when there are no runs', () => {
    expect(formatRunsTable([], new Date())).toBe('No training runs yet.');
  });
});
