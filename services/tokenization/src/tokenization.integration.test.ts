/**
 * Over the real broker: cleaned documents produced to `crucible.documents.cleaned.v1`, some of
 * them twice, then a seal request → one `crucible.datasets.sealed.v1` with the exact expected
 * token count. Topics are shared and persist between runs, so every run uses its own dataset
 * name and reads only its own records.
 * Run: CRUCIBLE_INFRA=kafka npx vitest run --project integration services/tokenization
 */
import { EventBus, KafkaBus, type Subscription } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { Metrics, PlatformModule, type RunningService, createLogger, runService } from '@crucible/service-kit';
import { readManifest } from '@crucible/shards';
import { type Tokenizer, loadTokenizer } from '@crucible/tokenizer';
import { Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTokenization } from './open-tokenization';
import { cleanedPayload, sampleText } from './testing/sample-texts';
import { TokenizationModule } from './tokenization.module';

const brokers = () => (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await sleep(200);
  }
}

const expectedTokens = (tokenizer: Tokenizer, texts: readonly string[]) => texts.reduce((n, t) => n + tokenizer.encode(t).length + 1, 0);

describe('tokenization over real Kafka', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('seals exactly the distinct documents, with re-deliveries, into one version per request', { timeout: 300_000 }, async () => {
    const run = randomUUID();
    const dataset = `it-${run}`;
    const logger = createLogger('tokenization', 'warn');
    const bus = new EventBus(new KafkaBus({ brokers: brokers(), clientId: 'tokenization-it', instanceId: `it-${run}` }), 'crucible/tokenization');
    const options = openTokenization({
      dataDir: mkdtempSync(join(tmpdir(), 'crucible-tokenization-it-')),
      config: { tokenizer: { vocabSize: 500 }, validationFraction: 0.2 },
    });
    @Module({
      imports: [PlatformModule.forRoot({ config: {}, logger, bus, metrics: new Metrics('tokenization') }), TokenizationModule.forRoot(options)],
    })
    class App {}
    const service: RunningService = await runService({ module: App, bus, logger, host: '127.0.0.1', port: 0 });
    cleanup.push(async () => {
      await service.stop();
      options.store.close();
    });

    const client = new EventBus(new KafkaBus({ brokers: brokers(), clientId: 'tokenization-it-client' }), 'e2e/tokenization');
    const sealed: Event<typeof TOPICS.datasetsSealed>[] = [];
    const probe: Subscription = await client.subscribe(TOPICS.datasetsSealed, `it-probe-${run}`, async (e) => {
      if (e.payload.dataset === dataset) sealed.push(e);
    });
    cleanup.push(async () => {
      await probe.stop();
      await client.transport.close();
    });

    const openDocuments = async () => {
      const body = (await (await fetch(`${service.url}/v1/datasets`)).json()) as { datasets: { name: string; openDocuments: number; versions: unknown[] }[] };
      return body.datasets.find((d) => d.name === dataset);
    };
    // One key for the whole run: one partition, so when the last document is in, every earlier record was handled.
    const produce = async (texts: readonly string[]) => {
      const events = [];
      for (const text of texts) events.push(await client.emit(TOPICS.documentsCleaned, cleanedPayload(text, { dataset, run }), { key: dataset }));
      return events;
    };

    const texts = Array.from({ length: 20 }, (_, i) => sampleText(i, run));
    const firstEvents = await produce(texts.slice(0, 15));
    await client.publishAll(TOPICS.documentsCleaned, firstEvents.slice(0, 5)); // the same events again
    await produce(texts.slice(5, 8)); // the same documents in new events
    await produce(texts.slice(15));
    await until(async () => (await openDocuments())?.openDocuments === 20, 120_000, () => 'the 20 documents never all arrived');

    const request = await client.emit(TOPICS.datasetSealRequested, { dataset, reason: 'integration test' }, { key: dataset });
    await until(() => sealed.length >= 1, 120_000, () => 'no datasets.sealed for the run');
    const first = sealed[0]!.payload;
    expect(first.datasetId).toBe(`${dataset}@1`);
    expect(first.documents).toBe(20);
    const tokenizer1 = await loadTokenizer(join(dirname(first.manifestPath), readManifest(first.manifestPath).tokenizer.path));
    expect(first.tokens.train + first.tokens.validation).toBe(expectedTokens(tokenizer1, texts));

    // The seal request delivered again, then more copies of old documents plus two new ones.
    await client.publishAll(TOPICS.datasetSealRequested, [request]);
    await until(() => sealed.length >= 2, 120_000, () => 'the redelivered request was not answered');
    expect(sealed[1]!.id).toBe(sealed[0]!.id);
    expect((await openDocuments())?.versions).toHaveLength(1);

    const more = [sampleText(20, run), sampleText(21, run)];
    await produce([...texts.slice(0, 4), ...more]);
    await until(async () => (await openDocuments())?.openDocuments === 2, 120_000, () => 'the 2 new documents never arrived');
    await client.emit(TOPICS.datasetSealRequested, { dataset }, { key: dataset });
    await until(() => sealed.length >= 3, 120_000, () => 'no second version');
    const second = sealed[2]!.payload;
    expect(second.datasetId).toBe(`${dataset}@2`);
    expect(second.documents).toBe(22);
    const tokenizer2 = await loadTokenizer(join(dirname(second.manifestPath), readManifest(second.manifestPath).tokenizer.path));
    expect(second.tokens.train + second.tokens.validation).toBe(expectedTokens(tokenizer2, [...texts, ...more]));
  });
});
