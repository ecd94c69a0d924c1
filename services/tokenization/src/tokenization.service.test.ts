import { DLQ_HEADERS, EmbeddedBus, EventBus, type Subscription } from '@crucible/bus';
import { type DatasetSealed, type Event, TOPICS, dlqTopic } from '@crucible/contracts';
import { Metrics, PlatformModule, createLogger, runService } from '@crucible/service-kit';
import { type Manifest, documentsOf, readManifest, readShardFile } from '@crucible/shards';
import { type Tokenizer, getEncoding, loadTokenizer, saveTokenizer, trainBpe } from '@crucible/tokenizer';
import { Module } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTokenization } from './open-tokenization';
import { DatasetsService } from './seal-dataset/datasets.service';
import { sealedEventId } from './seal-dataset/sealed-event';
import type { SealProgress } from './seal-dataset/seal-progress';
import { cleanedPayload, sampleText } from './testing/sample-texts';
import type { TokenizationConfigInput } from './tokenization.config';
import { TokenizationModule } from './tokenization.module';
import type { TokenizationOptions } from './tokenization.options';

type Sealed = Event<typeof TOPICS.datasetsSealed>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Independent of the service: sha256(documentId) as a big-endian uint32, mod 1000. */
const inValidation = (documentId: string, fraction: number) =>
  createHash('sha256').update(documentId).digest().readUInt32BE(0) % 1000 < fraction * 1000;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const expectedTokens = (tokenizer: Tokenizer, texts: readonly string[]) => texts.reduce((n, t) => n + tokenizer.encode(t).length + 1, 0);

async function start(config: TokenizationConfigInput, dataDir = mkdtempSync(join(tmpdir(), 'crucible-tokenization-'))) {
  const transport = new EmbeddedBus({ path: ':memory:', idlePollMs: 10 });
  const bus = new EventBus(transport, 'test/tokenization');
  const metrics = new Metrics('tokenization');
  const progress: SealProgress[] = [];
  const options = openTokenization({ dataDir, config: { progressIntervalMs: 1, ...config }, onProgress: (p) => progress.push(p) });
  @Module({
    imports: [
      PlatformModule.forRoot({ config: {}, logger: createLogger('tokenization', 'silent'), bus, metrics }),
      TokenizationModule.forRoot(options),
    ],
  })
  class App {}
  const service = await runService({ module: App, bus, logger: createLogger('tokenization', 'silent'), host: '127.0.0.1', port: 0 });
  const sealed: Sealed[] = [];
  const probe: Subscription = await bus.subscribe(TOPICS.datasetsSealed, 'probe', async (e) => void sealed.push(e));
  const handled = async () => {
    const values = (await metrics.counter('crucible_tokenization_documents_total', '', ['outcome']).get()).values;
    return values.reduce((n, v) => n + v.value, 0);
  };
  return {
    dataDir,
    transport,
    bus,
    options,
    service,
    sealed,
    progress,
    async emitDocuments(texts: readonly string[], metadata: Record<string, unknown> = {}) {
      const events = [];
      for (const text of texts) events.push(await bus.emit(TOPICS.documentsCleaned, cleanedPayload(text, metadata), { key: cleanedPayload(text).documentId }));
      return events;
    },
    /** Waits until the consumer has handled `count` cleaned events in total (appended or duplicate). */
    async handled(count: number) {
      for (let i = 0; i < 1500 && (await handled()) < count; i++) await sleep(10);
      expect(await handled()).toBe(count);
    },
    async sealedCount(count: number) {
      for (let i = 0; i < 3000 && sealed.length < count; i++) await sleep(10);
      expect(sealed.length).toBeGreaterThanOrEqual(count);
    },
    async stop() {
      await probe.stop();
      await service.stop();
      options.store.close();
    },
  };
}

/** Checks shards against the manifest and returns the documents (token ids) of each split. */
function verifyShards(manifestPath: string, manifest: Manifest) {
  const dir = dirname(manifestPath);
  const bySplit = { train: [] as number[][], validation: [] as number[][] };
  for (const shard of manifest.shards) {
    const bytes = readFileSync(join(dir, shard.path));
    expect(sha256(bytes)).toBe(shard.sha256);
    const decoded = readShardFile(join(dir, shard.path));
    expect(decoded.header.dtype).toBe(manifest.dtype);
    expect(decoded.header.tokens).toBe(shard.tokens);
    expect(decoded.header.eotToken).toBe(manifest.tokenizer.eotToken);
    expect(decoded.tokens[0]).toBe(manifest.tokenizer.eotToken);
    const documents = documentsOf(decoded).map((d) => [...d]);
    expect(documents).toHaveLength(shard.documents);
    bySplit[shard.split].push(...documents);
  }
  return bySplit;
}

describe('tokenization service', { timeout: 120_000 }, () => {
  let running: Awaited<ReturnType<typeof start>> | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('seals cleaned documents into shards with a trained tokenizer: exact token count, split by document, hashes verify', async () => {
    const validationFraction = 0.3;
    running = await start({ dataset: 'books', validationFraction, tokenizer: { vocabSize: 400 } });
    const texts = Array.from({ length: 30 }, (_, i) => sampleText(i));
    const events = await running.emitDocuments(texts);
    await running.emitDocuments([sampleText(100), sampleText(101)], { dataset: 'other' });
    await running.bus.publishAll(TOPICS.documentsCleaned, events.slice(0, 5)); // redelivered events
    await running.emitDocuments(texts.slice(10, 13)); // the same documents in new events
    await running.handled(30 + 2 + 5 + 3);

    const listed = (await (await fetch(`${running.service.url}/v1/datasets`)).json()) as { datasets: { name: string; openDocuments: number }[] };
    expect(listed.datasets.map((d) => [d.name, d.openDocuments])).toEqual([['books', 30], ['other', 2]]);

    const request = await running.bus.emit(TOPICS.datasetSealRequested, { dataset: 'books' }, { key: 'books' });
    await running.sealedCount(1);
    const sealed = running.sealed[0]!;
    expect(sealed.payload.datasetId).toBe('books@1');
    expect(sealed.lineage).toMatchObject({ datasetId: 'books@1', tokenizerId: sealed.payload.tokenizerId, causationId: request.id });

    const manifestPath = sealed.payload.manifestPath;
    expect(sha256(readFileSync(manifestPath))).toBe(sealed.payload.manifestSha256);
    const manifest = readManifest(manifestPath);
    expect(manifest.tokenizer.path).toBe('tokenizer.json');
    const tokenizer = await loadTokenizer(join(dirname(manifestPath), manifest.tokenizer.path));
    expect(`sha256:${sha256(readFileSync(join(dirname(manifestPath), 'tokenizer.json')))}`).toBe(manifest.tokenizer.id);
    expect(tokenizer.vocabSize).toBeLessThanOrEqual(400);
    expect(manifest.tokenizer.eotToken).toBe(tokenizer.specialTokens.get('<|endoftext|>'));
    expect(manifest.dtype).toBe('uint16');

    const expected = expectedTokens(tokenizer, texts);
    expect(sealed.payload.tokens.train + sealed.payload.tokens.validation).toBe(expected);
    expect(sealed.payload.documents).toBe(30);
    expect(new Set(manifest.documentIds)).toEqual(new Set(texts.map((t) => cleanedPayload(t).documentId)));

    const bySplit = verifyShards(manifestPath, manifest);
    const decode = (docs: number[][]) => docs.map((d) => tokenizer.decode(d)).sort();
    const validation = texts.filter((t) => inValidation(cleanedPayload(t).documentId, validationFraction));
    expect(validation.length).toBeGreaterThan(0);
    expect(validation.length).toBeLessThan(30);
    expect(decode(bySplit.validation)).toEqual([...validation].sort());
    expect(decode(bySplit.train)).toEqual(texts.filter((t) => !validation.includes(t)).sort());
    expect(sealed.payload.tokens.validation).toBe(expectedTokens(tokenizer, validation));
    expect(running.progress.some((p) => p.phase === 'train')).toBe(true);
    expect(running.progress.at(-1)).toMatchObject({ phase: 'encode', documents: 30, totalDocuments: 30 });

    // The same request again (at-least-once): the version is announced again, not made again.
    await running.bus.publishAll(TOPICS.datasetSealRequested, [request]);
    await running.sealedCount(2);
    expect(running.sealed[1]!.id).toBe(sealed.id);
    expect(running.sealed[1]!.payload).toEqual(sealed.payload);
    expect(readdirSync(running.options.datasetsDir).sort()).toEqual(['books@1']);

    // HTTP: the manifest, typed errors.
    const url = running.service.url;
    expect(await (await fetch(`${url}/v1/datasets/books/versions/1`)).json()).toEqual(manifest);
    const errors = await Promise.all(
      [
        fetch(`${url}/v1/datasets/books/versions/2`),
        fetch(`${url}/v1/datasets/nope/versions/1`),
        fetch(`${url}/v1/datasets/books/versions/x`),
        fetch(`${url}/v1/datasets/books/seal`, { method: 'POST' }),
        fetch(`${url}/v1/datasets/nope/seal`, { method: 'POST' }),
        fetch(`${url}/v1/datasets/.hidden/seal`, { method: 'POST' }),
      ].map(async (r) => {
        const response = await r;
        return [response.status, ((await response.json()) as { error: { code: string } }).error.code];
      }),
    );
    expect(errors).toEqual([
      [404, 'version_not_found'],
      [404, 'dataset_not_found'],
      [422, 'invalid_version'],
      [409, 'nothing_to_seal'],
      [404, 'dataset_not_found'],
      [422, 'invalid_dataset_name'],
    ]);
    const after = (await (await fetch(`${url}/v1/datasets`)).json()) as { datasets: { name: string; openDocuments: number; versions: { datasetId: string; tokens: number }[] }[] };
    expect(after.datasets[0]).toMatchObject({ name: 'books', openDocuments: 0, versions: [{ datasetId: 'books@1', tokens: expected }] });
    expect(running.transport.read(dlqTopic(TOPICS.documentsCleaned))).toHaveLength(0);
  });

  it('reuses pinned gpt2 (uint16) over HTTP with an idempotency key, and cl100k_base (uint32)', async () => {
    const texts = Array.from({ length: 12 }, (_, i) => sampleText(i, 'pinned'));
    running = await start({ tokenizer: { pinned: 'gpt2' }, validationFraction: 0 });
    await running.emitDocuments(texts);
    await running.handled(12);
    const post = () => fetch(`${running!.service.url}/v1/datasets/default/seal`, { method: 'POST', headers: { 'Idempotency-Key': 'k1' } });
    const first = await post();
    expect(first.status).toBe(201);
    const body = (await first.json()) as DatasetSealed;
    expect(body).toMatchObject({ datasetId: 'default@1', tokenizerId: 'tiktoken:gpt2', dtype: 'uint16', vocabSize: 50_257, documents: 12 });
    expect(body.tokens).toEqual({ train: expectedTokens(getEncoding('gpt2'), texts), validation: 0 });
    const again = await post();
    expect(again.status).toBe(200);
    expect(((await again.json()) as DatasetSealed).datasetId).toBe('default@1');
    await running.sealedCount(2);
    expect(running.sealed[0]!.id).toBe(running.sealed[1]!.id);
    const manifest = readManifest(body.manifestPath);
    expect(manifest.tokenizer).toMatchObject({ path: 'tiktoken:gpt2', eotToken: 50_256 });
    const gpt2 = getEncoding('gpt2');
    expect(verifyShards(body.manifestPath, manifest).train.map((d) => gpt2.decode(d))).toEqual(texts);
    await running.stop();

    running = await start({ tokenizer: { pinned: 'cl100k_base' }, validationFraction: 0 });
    await running.emitDocuments(texts);
    await running.handled(12);
    await running.bus.emit(TOPICS.datasetSealRequested, { dataset: 'default' }, { key: 'default' });
    await running.sealedCount(1);
    const cl100k = running.sealed[0]!.payload;
    expect(cl100k).toMatchObject({ tokenizerId: 'tiktoken:cl100k_base', dtype: 'uint32', vocabSize: 100_277 });
    expect(cl100k.tokens.train).toBe(expectedTokens(getEncoding('cl100k_base'), texts));
    const bySplit = verifyShards(cl100k.manifestPath, readManifest(cl100k.manifestPath));
    expect(bySplit.train.map((d) => getEncoding('cl100k_base').decode(d))).toEqual(texts);
  });

  it('reuses a pinned tokenizer file (copied into the version, id = its sha256) and cuts shards at the token limit', async () => {
    const texts = Array.from({ length: 16 }, (_, i) => sampleText(i, 'file'));
    const file = join(mkdtempSync(join(tmpdir(), 'crucible-pinned-')), 'books.json');
    await saveTokenizer(await trainBpe(texts, { vocabSize: 320 }), file, 'hf-json');
    running = await start({ tokenizer: { pinned: file }, validationFraction: 0.25, shardTokens: 200 });
    await running.emitDocuments(texts);
    await running.handled(16);
    await running.bus.emit(TOPICS.datasetSealRequested, { dataset: 'default' }, { key: 'default' });
    await running.sealedCount(1);
    const sealed = running.sealed[0]!.payload;
    const manifest = readManifest(sealed.manifestPath);
    expect(sealed.tokenizerId).toBe(`sha256:${sha256(readFileSync(file))}`);
    expect(manifest.tokenizer.path).toBe('tokenizer-books.json');
    expect(existsSync(join(dirname(sealed.manifestPath), manifest.tokenizer.path))).toBe(true);
    const pinned = await loadTokenizer(file);
    expect(sealed.tokens.train + sealed.tokens.validation).toBe(expectedTokens(pinned, texts));
    expect(manifest.shards.filter((s) => s.split === 'train').length).toBeGreaterThan(1);
    expect(manifest.shards.every((s) => s.tokens <= 200 || s.documents === 1)).toBe(true);
    const bySplit = verifyShards(sealed.manifestPath, manifest);
    expect([...bySplit.train, ...bySplit.validation].map((d) => pinned.decode(d)).sort()).toEqual([...texts].sort());
  });

  it('announces at the next start an HTTP seal whose event a crash cut off, once', async () => {
    const texts = Array.from({ length: 4 }, (_, i) => sampleText(i, 'outbox'));
    running = await start({ tokenizer: { pinned: 'gpt2' } });
    const { dataDir } = running;
    await running.emitDocuments(texts);
    await running.handled(4);
    // What the HTTP controller does up to the crash: the seal is committed, the event not yet published.
    await running.service.app.get(DatasetsService).seal({ dataset: 'default', sealKey: 'http:lost', reason: 'manual', outbox: true });
    await running.stop();

    running = await start({ tokenizer: { pinned: 'gpt2' } }, dataDir);
    await running.sealedCount(1);
    expect(running.sealed[0]).toMatchObject({ id: sealedEventId('http:lost'), payload: { datasetId: 'default@1', documents: 4 } });
    await running.stop();

    running = await start({ tokenizer: { pinned: 'gpt2' } }, dataDir);
    await sleep(300);
    expect(running.sealed).toEqual([]);
  });

  it('dead-letters at once a document routed to an invalid dataset name and a seal of an unknown dataset', async () => {
    running = await start({ tokenizer: { pinned: 'gpt2' } });
    await running.emitDocuments([sampleText(1)], { dataset: '../escape' });
    await running.bus.emit(TOPICS.datasetSealRequested, { dataset: 'missing' }, { key: 'missing' });
    const dead = () => [...running!.transport.read(dlqTopic(TOPICS.documentsCleaned)), ...running!.transport.read(dlqTopic(TOPICS.datasetSealRequested))];
    for (let i = 0; i < 500 && dead().length < 2; i++) await sleep(10);
    expect(dead().map((r) => [r.headers[DLQ_HEADERS.attempts], r.headers[DLQ_HEADERS.reason]?.split(':')[0]])).toEqual([
      ['1', 'invalid_dataset_name'],
      ['1', 'dataset_not_found'],
    ]);
    expect(running.options.store.list()).toEqual([]);
  });

  it('seals at the document threshold into cumulative versions; a redelivered threshold event makes no new version', async () => {
    running = await start({ tokenizer: { pinned: 'gpt2' }, autoSeal: { documents: 5 }, validationFraction: 0 });
    const texts = Array.from({ length: 12 }, (_, i) => sampleText(i, 'threshold'));
    const events = await running.emitDocuments(texts);
    await running.handled(12);
    await running.sealedCount(2);
    expect(running.sealed.map((e) => [e.payload.datasetId, e.payload.documents])).toEqual([['default@1', 5], ['default@2', 10]]);
    const gpt2 = getEncoding('gpt2');
    expect(running.sealed[1]!.payload.tokens.train).toBe(expectedTokens(gpt2, texts.slice(0, 10)));

    await running.bus.publishAll(TOPICS.documentsCleaned, [events[4]!]); // the event that crossed the first threshold
    await running.handled(13);
    await running.sealedCount(3);
    expect(running.sealed[2]!.id).toBe(running.sealed[0]!.id);
    expect(readdirSync(running.options.datasetsDir).sort()).toEqual(['default@1', 'default@2']);
    const listed = (await (await fetch(`${running.service.url}/v1/datasets`)).json()) as { datasets: { openDocuments: number; totalDocuments: number }[] };
    expect(listed.datasets).toMatchObject([{ openDocuments: 2, totalDocuments: 12 }]);
  });

  it('seals at the character threshold and replaces the left-overs of a crashed seal', async () => {
    const texts = Array.from({ length: 4 }, (_, i) => sampleText(i, 'chars'));
    const threshold = texts[0]!.length + texts[1]!.length + texts[2]!.length;
    running = await start({ tokenizer: { pinned: 'gpt2' }, autoSeal: { chars: threshold }, validationFraction: 0 });
    const stale = join(running.options.datasetsDir, 'default@1.partial');
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, 'train-00000.bin'), 'torn');
    await running.emitDocuments(texts);
    await running.handled(4);
    await running.sealedCount(1);
    expect(running.sealed.map((e) => e.payload.documents)).toEqual([3]);
    expect(readdirSync(running.options.datasetsDir)).toEqual(['default@1']);
    const listed = (await (await fetch(`${running.service.url}/v1/datasets`)).json()) as { datasets: { openDocuments: number; openChars: number }[] };
    expect(listed.datasets).toMatchObject([{ openDocuments: 1, openChars: texts[3]!.length }]);
    const manifest = readManifest(running.sealed[0]!.payload.manifestPath);
    expect(verifyShards(running.sealed[0]!.payload.manifestPath, manifest).train).toHaveLength(3);
  });
});

describe('openTokenization', () => {
  it('rejects invalid settings with every problem listed', () => {
    expect(() =>
      openTokenization({ dataDir: mkdtempSync(join(tmpdir(), 'crucible-tokenization-')), config: { validationFraction: 2, tokenizer: { vocabSize: 10 } } as TokenizationOptions['config'] }),
    ).toThrow(/validationFraction.*tokenizer\.vocabSize|tokenizer\.vocabSize.*validationFraction/);
  });
});
