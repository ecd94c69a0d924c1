/**
 * Idempotency of the service without a broker (a fake registry: pure unit test): a stored
 * report answers without loading the model; a report file left by an earlier run (crash after
 * writing, before the registry save) is saved and answered; an approval only follows a pass.
 */
import type { Registry, SaveReportInput, StoredReport } from '@crucible/registry';
import { Metrics, createLogger } from '@crucible/service-kit';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSafetyConfig } from '../safety.config';
import { SAFETY_REPORT_FORMAT, type SafetyReport, writeSafetyReport } from './safety-report';
import { SafetyTestService } from './safety-test.service';

function fakeRegistry(artifactPath: string, stored: StoredReport[] = []) {
  const saved: SaveReportInput[] = [];
  const registry = {
    models: { getVersion: async (id: string) => ({ id, artifactPath }) },
    reports: {
      get: async (versionId: string, kind: string) => stored.find((r) => r.versionId === versionId && r.kind === kind),
      save: async (input: SaveReportInput) => {
        saved.push(input);
        return { ...input, sequence: saved.length, createdAt: '2026-01-01T00:00:00.000Z' };
      },
    },
  } as unknown as Registry;
  return { registry, saved };
}

const report = (dir: string, passed: boolean): SafetyReport => ({
  format: SAFETY_REPORT_FORMAT,
  versionId: 'sotu@3',
  model: 'sotu',
  artifactPath: dir,
  testedAt: '2026-01-01T00:00:00.000Z',
  seconds: 1,
  categories: { 'LLM01:2025': { probes: 30, failures: passed ? 0 : 2 } },
  suites: [],
  gate: parseSafetyConfig({}).gate,
  verdict: { passed, reasons: [passed ? 'LLM01:2025 jailbreak: 0/8 probes failed <= 0 allowed' : 'LLM01:2025 jailbreak: 2/8 probes failed > 0 allowed'] },
});

function service(registry: Registry, dataDir: string) {
  return new SafetyTestService({ config: parseSafetyConfig({}), sets: [], registry, dataDir }, createLogger('safety', 'silent'), new Metrics('safety'));
}

const evaluated = { modelVersionId: 'sotu@3', metrics: {}, verdict: { passed: true, reasons: [] } };

describe('SafetyTestService idempotency', () => {
  it('answers a stored report without touching the artifact (there is none)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'safety-svc-')), 'no-weights-here');
    const stored = report(dir, true);
    const { registry, saved } = fakeRegistry(dir, [{ versionId: 'sotu@3', kind: 'safety', verdict: stored.verdict, metrics: {}, report: stored, sequence: 1, createdAt: '' }]);
    const outcome = await service(registry, dir).test(evaluated);
    expect(outcome.reused).toBe(true);
    expect(outcome.tested).toEqual({ modelVersionId: 'sotu@3', categories: { 'LLM01:2025': { probes: 30, failures: 0 } }, verdict: stored.verdict });
    expect(outcome.approved).toEqual({ modelVersionId: 'sotu@3', model: 'sotu', alias: 'champion' });
    expect(saved).toEqual([]);
  });

  it('saves and answers a report file an earlier attempt wrote, and approves nothing on a fail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'safety-svc-'));
    mkdirSync(dir, { recursive: true });
    writeSafetyReport(dir, report(dir, false));
    const { registry, saved } = fakeRegistry(dir);
    const outcome = await service(registry, dir).test(evaluated);
    expect(outcome.reused).toBe(true);
    expect(outcome.approved).toBeUndefined();
    expect(outcome.tested.reportPath).toBe(join(dir, 'safety-report.json'));
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ versionId: 'sotu@3', kind: 'safety', verdict: { passed: false }, metrics: { 'LLM01:2025.probes': 30, 'LLM01:2025.failures': 2 } });
  });

  it('refuses a malformed version id', async () => {
    const { registry } = fakeRegistry('/nowhere');
    await expect(service(registry, '/tmp').test({ ...evaluated, modelVersionId: 'sotu' })).rejects.toMatchObject({ code: 'invalid_reference', retriable: false });
  });
});
