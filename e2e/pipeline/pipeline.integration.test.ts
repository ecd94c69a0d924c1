/**
 * Ingestion and cleaning over the real broker: documents of every kind produced to
 * `documents.received.v1` give exact counts on `documents.cleaned`, `documents.rejected`
 * and the dead-letter topic; and kcat, a non-kafkajs client, produces in and consumes out.
 */
import { EventBus, KafkaBus } from '@crucible/bus';
import { TopicProbe, brokers } from '@crucible/bus/testing';
import { TOPICS, createEvent, dlqTopic, serializeEvent } from '@crucible/contracts';
import type { RunningService } from '@crucible/service-kit';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGLISH_PARAGRAPHS, FRENCH_PARAGRAPH, HTML_PAGE, withPii } from '@crucible/cleaning/testing';
import { runTag, startPipeline } from './pipeline-services';

const MAX_DOCUMENT_BYTES = 64 * 1024;
// The HTML page's article is ENGLISH_PARAGRAPHS[3]: the PII document needs text of its own.
const PII_PARAGRAPH =
  'The committee met on Tuesday to review the budget for the coming year. Most of the discussion concerned the repair of the old pumping station, which has served the town since the end of the war and now needs new pipes, a new roof and a modern control room. Several members asked whether the work could be spread over two years, so that the library and the school would not lose the money that had already been promised to them.';
// Unlike the other samples, so the first test's documents do not make it a near-duplicate.
const KCAT_PARAGRAPH =
  'Beekeeping begins in early spring, when the first willows flower and the colonies start to grow again after the winter. A careful keeper opens each hive on a warm afternoon, checks that the queen is laying, and makes sure that the bees have enough stored honey to last until the main nectar flow. Mistakes made in these weeks are hard to repair later in the season, which is why experienced keepers spend so much time simply watching the entrance of each hive.';
const ROOT = resolve(__dirname, '../..');

describe('ingestion → cleaning over real Kafka', { timeout: 400_000 }, () => {
  let services: RunningService[] = [];
  let probe: TopicProbe;
  const producer = new KafkaBus({ brokers: brokers(), clientId: 'e2e-producer' });

  beforeAll(async () => {
    execFileSync(join(ROOT, 'infra/kafka/install-kcat'), { stdio: 'inherit' });
    probe = await new TopicProbe([
      TOPICS.documentsIngested,
      TOPICS.documentsCleaned,
      TOPICS.documentsRejected,
      dlqTopic(TOPICS.documentsReceived),
    ]).start();
    services = await startPipeline({ maxDocumentBytes: MAX_DOCUMENT_BYTES }, randomUUID().slice(0, 8));
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await producer.close();
    await probe?.stop();
  });

  it('gives exact counts for duplicates, near-duplicates, HTML, other languages, PII, malformed and oversize records', async () => {
    const run = randomUUID();
    const tag = (text: string) => `${text} Filed under reference ${run}.`;
    const unique = ENGLISH_PARAGRAPHS.slice(0, 3).map(tag);
    const documents = [
      ...unique, // 3 cleaned
      unique[0]!, // exact duplicate → rejected
      unique[1]!.replace('several intermediate', 'a few intermediate'), // near duplicate → rejected
      HTML_PAGE.replace('</article>', `<p>Catalogue reference ${run}.</p></article>`), // cleaned
      `${FRENCH_PARAGRAPH} Référence ${run}.`, // other language → rejected
      tag(withPii(PII_PARAGRAPH)), // cleaned, redacted
      `This note is far too short to count as a real document of the archive, reference ${run}.`, // Gopher quality → rejected
    ];
    const events = new EventBus(producer, 'e2e/producer');
    for (const [i, content] of documents.entries()) {
      const mediaType = content.startsWith('<!doctype') ? 'text/html' : 'text/plain';
      await events.emit(TOPICS.documentsReceived, { content, mediaType, metadata: { run, i } }, { key: `${run}-${i}` });
    }
    const bad = [
      { key: `${run}-malformed`, value: Buffer.from('{"id": "x", "payload": {"content": broken') },
      { key: `${run}-wrong-shape`, value: Buffer.from(JSON.stringify({ hello: 'world' })) },
      {
        key: `${run}-oversize`,
        value: serializeEvent(
          createEvent(TOPICS.documentsReceived, { content: tag('word '.repeat(MAX_DOCUMENT_BYTES / 4)) }, { source: 'e2e', key: 'big' }),
        ),
      },
    ];
    await producer.publish(TOPICS.documentsReceived, bad);

    const ingested = () => probe.events(TOPICS.documentsIngested, (e) => runTag(e) === run);
    const ids = () => new Set(ingested().map((e) => e.payload.documentId));
    const cleaned = () => probe.events(TOPICS.documentsCleaned, (e) => runTag(e) === run);
    const rejected = () => probe.events(TOPICS.documentsRejected, (e) => ids().has(e.payload.documentId));
    const dead = () => probe.raw(dlqTopic(TOPICS.documentsReceived), (r) => r.key?.startsWith(run) ?? false);
    await probe.until(
      () => cleaned().length + rejected().length >= documents.length && dead().length >= bad.length,
      300_000,
      () => `ingested ${ingested().length}, cleaned ${cleaned().length}, rejected ${rejected().length}, dlq ${dead().length}`,
    );
    await new Promise((r) => setTimeout(r, 2_000)); // nothing extra may arrive late

    expect(ingested()).toHaveLength(documents.length);
    const verdicts = rejected().map((e) => `${e.payload.filter}:${e.payload.reason}:${JSON.stringify(e.payload.details)}`);
    expect(rejected().map((e) => e.payload.filter).sort(), verdicts.join('\n')).toEqual(['exact_dedup', 'gopher_quality', 'language', 'near_dedup']);
    expect(cleaned()).toHaveLength(5);
    expect(cleaned().find((e) => e.payload.text.includes('<EMAIL>'))?.payload.redactions).toMatchObject({ email: 1, phone: 1 });
    const reasons = Object.fromEntries(dead().map((r) => [r.key, r.headers['x-crucible-dlq-reason'] ?? '']));
    expect(Object.keys(reasons).sort()).toEqual(bad.map((b) => b.key).sort());
    expect(reasons[`${run}-malformed`]).toMatch(/not valid JSON/);
    expect(reasons[`${run}-wrong-shape`]).toMatch(/invalid envelope/);
    expect(reasons[`${run}-oversize`]).toMatch(/limit/);
  });

  it('works with kcat, a non-kafkajs client, on both ends', async () => {
    const run = randomUUID();
    const content = `${KCAT_PARAGRAPH} Produced by kcat for run ${run}.`;
    const event = createEvent(TOPICS.documentsReceived, { content, metadata: { run } }, { source: 'kcat', key: run });
    const broker = brokers()[0]!;
    execFileSync('kcat', ['-P', '-b', broker, '-t', TOPICS.documentsReceived, '-k', run], { input: JSON.stringify(event) });

    const deadline = Date.now() + 240_000;
    let found: string | undefined;
    while (!found && Date.now() < deadline) {
      const out = execFileSync(
        'kcat',
        ['-C', '-b', broker, '-t', TOPICS.documentsCleaned, '-o', 'beginning', '-e', '-q', '-X', 'isolation.level=read_committed', '-f', '%s\n'],
        { maxBuffer: 512 * 1024 * 1024 },
      ).toString();
      found = out.split('\n').find((line) => line.includes(run));
      if (!found) await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(found, 'kcat saw the cleaned document').toBeDefined();
    const cleaned = JSON.parse(found!) as { type: string; payload: { text: string; metadata: { run: string } } };
    expect(cleaned.type).toBe('crucible.documents.cleaned');
    expect(cleaned.payload.metadata.run).toBe(run);
    expect(cleaned.payload.text).toContain(`Produced by kcat for run ${run}.`);
  });
});
