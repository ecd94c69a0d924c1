import { EmbeddedBus, EventBus, type Subscription } from '@crucible/bus';
import { type Event, TOPICS, dlqTopic } from '@crucible/contracts';
import { Metrics, PlatformModule, type RunningService, createLogger, runService } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CleaningModule } from '../cleaning.module';
import { openCleaning } from '../open-cleaning';
import { ENGLISH_PARAGRAPHS, FRENCH_PARAGRAPH, HTML_PAGE, withPii } from '../testing/sample-documents';

const idOf = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const ingested = (content: string, mediaType: 'text/plain' | 'text/html' = 'text/plain') => ({
  documentId: idOf(content),
  content,
  mediaType,
  bytes: Buffer.byteLength(content),
  source: { kind: 'http' as const },
  metadata: {},
  receivedAt: new Date().toISOString(),
});

async function startCleaning(transport: EmbeddedBus) {
  const bus = new EventBus(transport, 'test/cleaning');
  const logger = createLogger('cleaning', 'silent');
  const cleaning = openCleaning({ config: {}, dedupIndexPath: ':memory:' });
  @Module({ imports: [PlatformModule.forRoot({ config: {}, logger, bus, metrics: new Metrics('cleaning') }), CleaningModule.forRoot(cleaning)] })
  class App {}
  return { bus, service: await runService({ module: App, bus, logger, host: '127.0.0.1', port: 0 }) };
}

async function collect(bus: EventBus, expected: number) {
  const cleaned: Event<typeof TOPICS.documentsCleaned>[] = [];
  const rejected: Event<typeof TOPICS.documentsRejected>[] = [];
  const subs: Subscription[] = [
    await bus.subscribe(TOPICS.documentsCleaned, 'probe', async (e) => void cleaned.push(e)),
    await bus.subscribe(TOPICS.documentsRejected, 'probe', async (e) => void rejected.push(e)),
  ];
  for (let i = 0; i < 1000 && cleaned.length + rejected.length < expected; i++) await new Promise((r) => setTimeout(r, 20));
  await Promise.all(subs.map((s) => s.stop()));
  return { cleaned, rejected };
}

describe('cleaning service', { timeout: 30_000 }, () => {
  let service: RunningService | undefined;
  afterEach(async () => service?.stop());

  it('cleans, rejects with the filter and reason, redacts PII and counts per filter', async () => {
    const transport = new EmbeddedBus({ path: ':memory:', idlePollMs: 20 });
    const started = await startCleaning(transport);
    service = started.service;
    const { bus } = started;
    const nearDuplicate = ENGLISH_PARAGRAPHS[1]!.replace('several intermediate', 'a few intermediate');
    const inputs = [
      ingested(ENGLISH_PARAGRAPHS[0]!),
      ingested(ENGLISH_PARAGRAPHS[0]!), // exact duplicate (same content, second submission)
      ingested(ENGLISH_PARAGRAPHS[1]!),
      ingested(nearDuplicate),
      ingested(HTML_PAGE, 'text/html'),
      ingested(FRENCH_PARAGRAPH),
      ingested('Too short to be a real document.'),
      ingested(withPii(ENGLISH_PARAGRAPHS[2]!)),
    ];
    for (const payload of inputs) await bus.emit(TOPICS.documentsIngested, payload, { key: payload.documentId });

    const { cleaned, rejected } = await collect(bus, inputs.length);
    expect(cleaned).toHaveLength(4);
    expect(rejected.map((e) => `${e.payload.filter}:${e.payload.reason}`).sort()).toEqual([
      'exact_dedup:exact_duplicate',
      'gopher_quality:gopher_short_doc',
      'language:language_not_allowed',
      'near_dedup:near_duplicate',
    ].sort());
    const duplicate = rejected.find((e) => e.payload.filter === 'exact_dedup')!;
    expect(duplicate.payload.details['duplicateOf']).toBe(idOf(ENGLISH_PARAGRAPHS[0]!));
    expect(duplicate.lineage.documentId).toBe(idOf(ENGLISH_PARAGRAPHS[0]!));

    const html = cleaned.find((e) => e.payload.documentId === idOf(HTML_PAGE))!;
    expect(html.payload.text).toContain('Why libraries matter');
    expect(html.payload.text).not.toMatch(/track\(\)|About|Copyright/);
    const pii = cleaned.find((e) => e.payload.redactions['email'] === 1)!;
    expect(pii.payload.text).toContain('<EMAIL>');
    expect(pii.payload.text).not.toContain('jane.doe@example.com');
    expect(pii.payload.redactions['phone']).toBe(1);

    const stats = (await (await fetch(`${service.url}/v1/cleaning/stats`)).json()) as { filters: Record<string, { removed: number }> };
    expect(stats.filters['exact_dedup']?.removed).toBe(1);
    expect(transport.read(dlqTopic(TOPICS.documentsIngested))).toHaveLength(0);
  });

  it('treats a redelivered event as itself, not as a duplicate', async () => {
    const transport = new EmbeddedBus({ path: ':memory:', idlePollMs: 20 });
    const started = await startCleaning(transport);
    service = started.service;
    const payload = ingested(ENGLISH_PARAGRAPHS[3]!);
    const event = await started.bus.emit(TOPICS.documentsIngested, payload, { key: payload.documentId });
    await started.bus.publishAll(TOPICS.documentsIngested, [event]); // the same event again (at-least-once)
    const { cleaned, rejected } = await collect(started.bus, 2);
    expect(rejected).toHaveLength(0);
    expect(cleaned).toHaveLength(2);
    expect(cleaned[0]!.id).toBe(cleaned[1]!.id); // deterministic output id: downstream can drop the copy
  });
});
