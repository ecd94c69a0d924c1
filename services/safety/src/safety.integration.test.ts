/**
 * Over the real broker, the real PostgreSQL registry and ONNX Runtime with a tiny artifact:
 * a failed `model.evaluated` is skipped; a passed one → `model.safety-tested` with every
 * category of the bundled suite, the report in the registry and in safety-report.json, and
 * `model.approved` exactly when the verdict passed; a redelivery re-emits the stored result
 * without rerunning; a version whose artifact is missing is dead-lettered with the reason.
 * Every run uses its own model name, consumer group (at the end of the shared topic before it
 * joins) and registry schema.
 * Run: npx vitest run --project integration services/safety
 */
import { EventBus, KafkaBus } from '@crucible/bus';
import { TopicProbe, brokers, groupAtEnd } from '@crucible/bus/testing';
import { TOPICS, dlqTopic } from '@crucible/contracts';
import { makeTinyArtifact } from '@crucible/model-artifact/testing';
import { openRegistryInSchema, versionInput } from '@crucible/registry/testing';
import { Metrics, PlatformModule, type RunningService, createLogger, runService } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { openSafety } from './open-safety';
import { SafetyModule } from './safety.module';
import { SAFETY_REPORT_FILE, type SafetyReport } from './test-model/safety-report';

describe('safety over real Kafka, PostgreSQL and ONNX Runtime', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('skips failed evaluations, tests passed ones once, approves on a pass, dead-letters a missing artifact', { timeout: 300_000 }, async () => {
    const run = randomUUID().slice(0, 8);
    const model = `safetyit-${run}`;
    const { registry, drop } = await openRegistryInSchema(`safety_it_${run}`);
    cleanup.push(drop);

    const root = mkdtempSync(join(tmpdir(), 'crucible-safety-it-'));
    const dir = await makeTinyArtifact(root, { model, n: 1, seed: 1, trainSteps: 10 });
    const register = (runId: string, artifactPath: string) => registry.models.registerVersion(versionInput(model, runId, { tokenizerId: 'tiny-bpe', artifactPath }));
    expect((await register('tiny-run-1', dir)).id).toBe(`${model}@1`);
    expect((await register('tiny-run-2', join(root, 'models', model, '2'))).id).toBe(`${model}@2`);
    expect((await register('tiny-run-3', join(root, 'nowhere'))).id).toBe(`${model}@3`);

    const group = `crucible.safety.it-${run}`;
    await groupAtEnd(group, [TOPICS.modelEvaluated]);
    const seen = await new TopicProbe([TOPICS.modelSafetyTested, TOPICS.modelApproved, dlqTopic(TOPICS.modelEvaluated)], { clientId: 'it-safety-probe' }).start();
    cleanup.push(() => seen.stop());

    const logger = createLogger('safety', 'warn');
    const bus = new EventBus(new KafkaBus({ brokers: brokers(), clientId: 'safety-it', instanceId: `it-${run}` }), 'crucible/safety');
    const options = openSafety({ dataDir: root, registry, group, config: { bias: { bootstrapSamples: 500 } } });
    @Module({ imports: [PlatformModule.forRoot({ config: {}, logger, bus, metrics: new Metrics('safety') }), SafetyModule.forRoot(options)] })
    class App {}
    const service: RunningService = await runService({ module: App, bus, logger, host: '127.0.0.1', port: 0 });
    cleanup.push(() => service.stop());

    const client = new EventBus(new KafkaBus({ brokers: brokers(), clientId: 'safety-it-client' }), 'e2e/safety');
    cleanup.push(() => client.transport.close());
    const evaluatedEvent = (n: number, passed: boolean) =>
      client.emit(
        TOPICS.modelEvaluated,
        { modelVersionId: `${model}@${n}`, metrics: { perplexity: 40 }, verdict: { passed, reasons: [passed ? 'perplexity 40 <= 60' : 'perplexity 99 > 60'] } },
        { key: model },
      );
    const mine = <T extends typeof TOPICS.modelSafetyTested | typeof TOPICS.modelApproved>(topic: T) =>
      seen.events(topic, (e) => e.payload.modelVersionId.startsWith(`${model}@`));

    // 1. A failed evaluation (version 2, no artifact) then a passed one, on one key: when version 1's
    //    result arrives, version 2's event was handled before it — and produced nothing.
    await evaluatedEvent(2, false);
    const first = await evaluatedEvent(1, true);
    await seen.until(() => mine(TOPICS.modelSafetyTested).length >= 1, 240_000, () => 'no model.safety-tested for version 1');
    const tested = mine(TOPICS.modelSafetyTested);
    expect(tested.map((e) => e.payload.modelVersionId)).toEqual([`${model}@1`]);
    const one = tested[0]!;
    expect(one.lineage.modelVersionId).toBe(`${model}@1`);
    expect(Object.keys(one.payload.categories).sort()).toEqual(['LLM01:2025', 'LLM02:2025', 'LLM07:2025', 'LLM09:2025']);
    for (const c of Object.values(one.payload.categories)) expect(c.probes).toBeGreaterThan(0);
    expect(one.payload.verdict.reasons.length).toBeGreaterThanOrEqual(8);
    expect(one.payload.verdict.reasons).toContainEqual(expect.stringMatching(/^LLM07:2025 system prompt leakage: \d+\/8 probes failed/));

    // The report: in the artifact directory and in the registry, with every suite's details.
    expect(one.payload.reportPath).toBe(join(dir, SAFETY_REPORT_FILE));
    const file = JSON.parse(readFileSync(one.payload.reportPath!, 'utf8')) as SafetyReport;
    expect(file.suites.map((s) => s.name).sort()).toEqual(
      ['bias', 'harmful-requests', 'jailbreak', 'long-context', 'prompt-injection', 'sensitive-information', 'system-prompt-leakage', 'training-data-leakage'].sort(),
    );
    const stored = await registry.reports.get(`${model}@1`, 'safety');
    expect(stored?.verdict).toEqual(one.payload.verdict);
    expect(stored?.metrics['LLM01:2025.probes']).toBe(one.payload.categories['LLM01:2025']!.probes);

    // Approved exactly when the verdict passed (a random tiny model neither complies nor leaks).
    await sleep(1_000);
    const approved = mine(TOPICS.modelApproved);
    if (one.payload.verdict.passed) expect(approved.map((e) => e.payload)).toEqual([{ modelVersionId: `${model}@1`, model, alias: 'champion' }]);
    else expect(approved).toEqual([]);

    // 2. Redelivered: the stored result is re-emitted with the same id, nothing reruns.
    const written = statSync(one.payload.reportPath!).mtimeMs;
    await client.publishAll(TOPICS.modelEvaluated, [first]);
    await seen.until(() => mine(TOPICS.modelSafetyTested).length >= 2, 60_000, () => 'the redelivered model.evaluated was not answered');
    const again = mine(TOPICS.modelSafetyTested)[1]!;
    expect(again.id).toBe(one.id);
    expect(again.payload).toEqual(one.payload);
    expect(await registry.reports.list(`${model}@1`)).toHaveLength(1);
    expect(statSync(one.payload.reportPath!).mtimeMs).toBe(written);

    // 3. A passed evaluation whose artifact is missing: dead-lettered with the reason.
    await evaluatedEvent(3, true);
    const dlq = () => seen.raw(dlqTopic(TOPICS.modelEvaluated), (r) => r.value.toString().includes(`${model}@3`));
    await seen.until(() => dlq().length >= 1, 60_000, () => 'the event for a missing artifact was not dead-lettered');
    expect(dlq()[0]!.headers['x-crucible-dlq-code']).toBe('artifact_unusable');
    expect(existsSync(join(root, 'nowhere'))).toBe(false);

    // HTTP: the report by reference; precise errors otherwise.
    const http = await fetch(`${service.url}/v1/safety-reports/${model}@1`);
    expect(http.status).toBe(200);
    expect(((await http.json()) as { verdict: unknown }).verdict).toEqual(one.payload.verdict);
    const missing = await fetch(`${service.url}/v1/safety-reports/${model}@2`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('safety_report_not_found');
    expect((await fetch(`${service.url}/v1/safety-reports/${model}@9`)).status).toBe(404);
    expect((await fetch(`${service.url}/v1/safety-reports/${encodeURIComponent('bad ref!')}`)).status).toBe(422);
  });
});
