import { EmbeddedBus, EventBus } from '@crucible/bus';
import { TOPICS, parseEvent } from '@crucible/contracts';
import { Metrics } from '@crucible/service-kit';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentIdOf } from '../document/document-id';
import { ingestPaths } from './ingest-paths';
import { readLines } from './read-lines';

let dir: string;
let transport: EmbeddedBus;
let bus: EventBus;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ingest-paths-'));
  transport = new EmbeddedBus({ path: ':memory:' });
  bus = new EventBus(transport, 'crucible/ingestion');
});
afterEach(async () => {
  await transport.close();
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
};
const published = () => transport.read(TOPICS.documentsIngested, 0, 0, 10_000).map((r) => parseEvent(TOPICS.documentsIngested, r.value).payload);

describe('ingestPaths', () => {
  it('walks folders recursively in sorted order, one document per text file', async () => {
    write('b.txt', 'Second file.');
    write('a/inner.md', '# Inner');
    write('a/page.htm', '<p>Page</p>');
    write('.hidden.txt', 'never');
    write('a/.git/config.txt', 'never');
    write('a/cat.png', 'not text');
    const progress: [number, number][] = [];
    const result = await ingestPaths([dir], bus, { onProgress: (done, total) => progress.push([done, total]), metadata: { dataset: 'demo' } });
    expect(result).toEqual({ accepted: 3, rejected: [], skipped: [join(dir, 'a/cat.png')] });
    expect(progress).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(published().map((d) => [d.content, d.mediaType, d.source, d.metadata])).toEqual([
      ['# Inner', 'text/markdown', { kind: 'file', uri: pathToFileURL(join(dir, 'a/inner.md')).href, name: 'inner.md' }, { dataset: 'demo' }],
      ['<p>Page</p>', 'text/html', { kind: 'file', uri: pathToFileURL(join(dir, 'a/page.htm')).href, name: 'page.htm' }, { dataset: 'demo' }],
      ['Second file.', 'text/plain', { kind: 'file', uri: pathToFileURL(join(dir, 'b.txt')).href, name: 'b.txt' }, { dataset: 'demo' }],
    ]);
  });

  it('reads JSON Lines line by line, publishing the good records and reporting the bad ones by line', async () => {
    const bad = Buffer.concat([Buffer.from('{"content":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
    const file = write('corpus.jsonl', Buffer.concat([
      Buffer.from('\uFEFF{"text":"first"}\n'),
      Buffer.from('{"content":"second","externalId":"s","metadata":{"k":1}}\r\n'),
      Buffer.from('\n'),
      Buffer.from('{"content":\n'),
      Buffer.from('{"content":"   "}\n'),
      bad,
      Buffer.from('{"contnet":"typo"}\n'),
      Buffer.from('{"content":"last, no newline"}'),
    ]));
    const result = await ingestPaths([file], bus, { sourceKind: 'cli' });
    expect(result.accepted).toBe(3);
    expect(result.rejected).toEqual([
      { path: `${file}:4`, reason: "malformed JSON at column 12: Unexpected end of JSON input" },
      { path: `${file}:5`, reason: 'content: must not be empty after trimming whitespace' },
      { path: `${file}:6`, reason: expect.stringMatching(/not valid UTF-8 \(byte 0xe9 at offset 15\)/) },
      { path: `${file}:7`, reason: "content: required; (root): unknown field 'contnet'" },
    ]);
    const docs = published();
    expect(docs.map((d) => d.content)).toEqual(['first', 'second', 'last, no newline']);
    expect(docs[1]).toMatchObject({ externalId: 's', metadata: { k: 1 }, source: { kind: 'cli', name: 'corpus.jsonl', uri: `${pathToFileURL(file).href}#L2` } });
  });

  it('reads a .json file as a record or an array of records', async () => {
    const one = write('one.json', '{"content":"solo"}');
    const many = write('many.json', '[{"content":"x"},{"content":""},{"content":"y","mediaType":"text/html"}]');
    const broken = write('broken.json', '{"content": }');
    const result = await ingestPaths([one, many, broken], bus);
    expect(result.accepted).toBe(3);
    expect(result.rejected).toEqual([
      { path: `${many}[1]`, reason: '1.content: must not be empty after trimming whitespace' },
      { path: broken, reason: "malformed JSON at position 12 (line 1, column 13): Unexpected token '}'" },
    ]);
    expect(published().map((d) => [d.content, d.mediaType])).toEqual([
      ['solo', 'text/plain'],
      ['x', 'text/plain'],
      ['y', 'text/html'],
    ]);
  });

  it('refuses oversize, empty and invalid files, missing paths and unsupported explicit files, and goes on', async () => {
    const big = write('big.txt', 'x'.repeat(101));
    const huge = write('huge.txt', 'x'.repeat(1_000));
    const empty = write('empty.md', ' \n');
    const latin = write('latin.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    const pdf = write('paper.pdf', '%PDF');
    const ok = write('ok.txt', 'fine');
    const metrics = new Metrics('ingestion-cli-test');
    const result = await ingestPaths([big, huge, empty, latin, pdf, join(dir, 'missing'), ok], bus, { limits: { maxDocumentBytes: 100 }, metrics });
    expect(result.accepted).toBe(1);
    expect(result.rejected).toEqual([
      { path: pdf, reason: "unsupported file type '.pdf'; expected one of .txt .md .html .htm .json .jsonl" },
      { path: join(dir, 'missing'), reason: 'no such file or folder' },
      { path: big, reason: 'content: document is 101 bytes; the limit is 100' },
      { path: huge, reason: 'document is 1000 bytes; the limit is 100' },
      { path: empty, reason: 'content: must not be empty after trimming whitespace' },
      { path: latin, reason: expect.stringMatching(/not valid UTF-8/) },
    ]);
    expect(published().map((d) => d.documentId)).toEqual([documentIdOf('fine')]);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/crucible_ingestion_documents_total\{outcome="accepted",via="file",service="ingestion-cli-test"\} 1/);
    expect(text).toMatch(/crucible_ingestion_documents_total\{outcome="rejected",via="file",service="ingestion-cli-test"\} 4/);
  });

  it('publishes in batches', async () => {
    write('many.jsonl', Array.from({ length: 25 }, (_, i) => JSON.stringify({ content: `doc ${i}` })).join('\n'));
    const result = await ingestPaths([dir], bus, { batchSize: 10 });
    expect(result.accepted).toBe(25);
    expect(new Set(published().map((d) => d.content)).size).toBe(25);
  });
});

describe('readLines', () => {
  it('splits on LF, drops CR, keeps a last line without newline, across chunk boundaries', async () => {
    const long = 'z'.repeat(3 << 20);
    const file = write('lines.txt', `a\r\n\nb\n${long}\nc`);
    const lines: [number, string][] = [];
    for await (const { number, bytes } of readLines(file)) lines.push([number, bytes.length > 10 ? `len:${bytes.length}` : bytes.toString()]);
    expect(lines).toEqual([
      [1, 'a'],
      [2, ''],
      [3, 'b'],
      [4, `len:${3 << 20}`],
      [5, 'c'],
    ]);
  });
});
