/** The HTTP way in against a real running Nest app on an in-memory embedded bus. */
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentIdOf } from '../document/document-id';
import { type IngestionHarness, payloads, startIngestion } from '../testing/ingestion-harness';

type Body = NonNullable<Parameters<typeof fetch>[1]>['body'];
/** Either shape of the API; each test reads the one its status implies. */
interface ResponseBody {
  readonly accepted: { documentId: string; externalId?: string }[];
  readonly count: number;
  readonly error: { code: string; message: string; issues?: { path: (string | number)[]; message: string }[] };
}

let h: IngestionHarness;
beforeAll(async () => {
  h = await startIngestion({ maxDocumentBytes: 1_000, maxRequestBytes: 4_000 });
});
afterAll(() => h.stop());

const post = (body: Body, contentType?: string, query = '', headers: Record<string, string> = {}) =>
  fetch(`${h.url}/v1/documents${query}`, { method: 'POST', body, headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers } });

/** Posts and returns status, body and the documents this request published. */
async function send(body: Body, contentType?: string, query = '', headers: Record<string, string> = {}) {
  const before = h.ingested().length;
  const response = await post(body, contentType, query, headers);
  return { status: response.status, body: (await response.json()) as ResponseBody, published: payloads(h).slice(before) };
}

describe('POST /v1/documents — accepted', () => {
  it('one JSON document, with externalId and caller metadata', async () => {
    const r = await send(JSON.stringify({ content: 'Hello world.', externalId: 'ext-1', metadata: { lang: 'en' } }), 'application/json');
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ accepted: [{ documentId: documentIdOf('Hello world.'), externalId: 'ext-1' }], count: 1 });
    expect(r.published).toEqual([
      {
        documentId: documentIdOf('Hello world.'),
        content: 'Hello world.',
        mediaType: 'text/plain',
        bytes: 12,
        externalId: 'ext-1',
        source: { kind: 'http' },
        metadata: { lang: 'en' },
        receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
  });

  it('a JSON array; events are keyed by the content hash and carry it as lineage', async () => {
    const before = h.ingested().length;
    const r = await send(JSON.stringify([{ content: 'one' }, { content: '<p>two</p>', mediaType: 'text/html', name: 'page', uri: 'https://e.x/2' }]), 'application/json; charset=utf-8');
    expect(r.status).toBe(202);
    expect(r.body.count).toBe(2);
    expect(r.published.map((d) => [d.content, d.mediaType, d.source])).toEqual([
      ['one', 'text/plain', { kind: 'http' }],
      ['<p>two</p>', 'text/html', { kind: 'http', name: 'page', uri: 'https://e.x/2' }],
    ]);
    const events = h.ingested().slice(before);
    expect(events.map((e) => e.key)).toEqual([documentIdOf('one'), documentIdOf('<p>two</p>')]);
    expect(events[0]!.lineage.documentId).toBe(documentIdOf('one'));
    expect(events[0]!.source).toBe('crucible/ingestion');
  });

  it.each(['application/x-ndjson', 'application/jsonl'])('%s, one document per line', async (type) => {
    const r = await send('{"content":"a"}\n\n{"text":"b","metadata":{"k":2}}\n', type, '?batch=7');
    expect(r.status).toBe(202);
    expect(r.published.map((d) => [d.content, d.metadata])).toEqual([
      ['a', { batch: '7' }],
      ['b', { batch: '7', k: 2 }],
    ]);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['text/html; charset=utf-8', 'text/html'],
    ['text/markdown', 'text/markdown'],
  ])('%s body as one document, name and metadata from the query string', async (type, mediaType) => {
    const r = await send('# Title\n\nSome text.', type, '?name=notes.md&externalId=n-1&topic=demo');
    expect(r.status).toBe(202);
    expect(r.body.accepted).toEqual([{ documentId: documentIdOf('# Title\n\nSome text.'), externalId: 'n-1' }]);
    expect(r.published[0]).toMatchObject({ mediaType, source: { kind: 'http', name: 'notes.md' }, metadata: { topic: 'demo' }, externalId: 'n-1' });
  });

  it('decodes windows-1252 when declared and UTF-16 by its BOM; the same text gets the same id', async () => {
    const latin = await send(Buffer.from([0x93, 0x63, 0x61, 0x66, 0xe9, 0x94]), 'text/plain; charset=windows-1252');
    const bom16 = await send(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('“café”', 'utf16le')]), 'text/plain');
    const utf8 = await send(Buffer.from('\uFEFF“café”'), 'text/plain');
    expect([latin.status, bom16.status, utf8.status]).toEqual([202, 202, 202]);
    expect(latin.published[0]!.content).toBe('“café”');
    const ids = new Set([latin, bom16, utf8].map((r) => r.body.accepted[0]!.documentId));
    expect(ids).toEqual(new Set([documentIdOf('“café”')]));
  });

  it('multipart: one document per file, type from the part or the extension, fields as metadata', async () => {
    const form = new FormData();
    form.append('collection', 'letters');
    form.append('file', new Blob(['<h1>Hi</h1>'], { type: 'text/html' }), 'a.html');
    form.append('file', new Blob(['# Notes'], { type: 'application/octet-stream' }), 'b.md');
    form.append('file', new Blob(['plain'], { type: 'text/plain' }), 'c.txt');
    const r = await send(form);
    expect(r.status).toBe(202);
    expect(r.body.count).toBe(3);
    expect(r.published.map((d) => [d.content, d.mediaType, d.source.name, d.metadata])).toEqual([
      ['<h1>Hi</h1>', 'text/html', 'a.html', { collection: 'letters', field: 'file' }],
      ['# Notes', 'text/markdown', 'b.md', { collection: 'letters', field: 'file' }],
      ['plain', 'text/plain', 'c.txt', { collection: 'letters', field: 'file' }],
    ]);
  });

  it('gzip-encoded bodies', async () => {
    const r = await send(gzipSync(JSON.stringify({ content: 'zipped' })), 'application/json', '', { 'content-encoding': 'gzip' });
    expect(r.status).toBe(202);
    expect(r.published[0]!.content).toBe('zipped');
  });

  it('counts outcomes per way in on /metrics', async () => {
    const text = await (await fetch(`${h.url}/metrics`)).text();
    expect(text).toMatch(/crucible_ingestion_documents_total\{outcome="accepted",via="http",service="ingestion"\} \d+/);
  });
});

describe('POST /v1/documents — refused, nothing published', () => {
  async function refused(body: Body, contentType: string | undefined, status: number, code: string, query = '', headers: Record<string, string> = {}) {
    const r = await send(body, contentType, query, headers);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(r.published).toEqual([]);
    return r.body.error;
  }

  it('400 malformed JSON with its position', async () => {
    const error = await refused('{"content": "a",\n "mediaType": }', 'application/json', 400, 'malformed_body');
    expect(error.message).toBe("malformed JSON at position 31 (line 2, column 15): Unexpected token '}'");
  });

  it('400 malformed JSON Lines, every bad line by number; the good lines are not accepted either', async () => {
    const error = await refused('{"content":"ok"}\n{"content":\n{"content":"ok2"}\n{]\n', 'application/x-ndjson', 400, 'malformed_body');
    expect(error.message).toBe('malformed JSON on lines 2, 4');
    expect(error.issues!.map((i) => i.path)).toEqual([
      ['line', 2],
      ['line', 4],
    ]);
  });

  it('400 a broken multipart stream', async () => {
    await refused('--xyz\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nunterminated', 'multipart/form-data; boundary=xyz', 400, 'malformed_body');
  });

  it('413 a request over the byte limit (declared length)', async () => {
    const error = await refused(JSON.stringify({ content: 'x'.repeat(5_000) }), 'application/json', 413, 'request_too_large');
    expect(error.message).toBe('request body exceeds the limit of 4000 bytes');
  });

  it('413 a chunked request over the limit, reading stops there', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${h.url}/v1/documents`, { method: 'POST', headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write('y'.repeat(1_000));
      req.end();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body).error.code).toBe('request_too_large');
  });

  it('413 a gzip bomb, measured after decompression', async () => {
    await refused(gzipSync('z'.repeat(100_000)), 'text/plain', 413, 'request_too_large', '', { 'content-encoding': 'gzip' });
  });

  it('413 a document over the document limit, with its path; the valid ones are not accepted', async () => {
    const error = await refused(JSON.stringify([{ content: 'fine' }, { content: 'é'.repeat(600) }]), 'application/json', 413, 'document_too_large');
    expect(error.issues).toEqual([{ path: [1, 'content'], message: 'document is 1200 bytes; the limit is 1000' }]);
  });

  it.each([
    ['image/png', 'unsupported media type \'image/png; send one of'],
    ['application/xml', 'application/xml'],
    [undefined, '(no Content-Type)'],
  ])('415 body type %s', async (type, message) => {
    const error = await refused(type === undefined ? new Blob([Buffer.from('x')]) : 'x', type, 415, 'unsupported_media_type');
    expect(error.message).toContain(message);
  });

  it('415 an unknown charset, an unknown content-encoding, an unsupported file part', async () => {
    await refused('x', 'text/plain; charset=x-klingon', 415, 'unsupported_media_type');
    await refused('x', 'text/plain', 415, 'unsupported_media_type', '', { 'content-encoding': 'compress' });
    const form = new FormData();
    form.append('file', new Blob(['ok'], { type: 'text/plain' }), 'ok.txt');
    form.append('file', new Blob([Buffer.from([0x89, 0x50])], { type: 'image/png' }), 'cat.png');
    const error = await refused(form, undefined, 415, 'unsupported_media_type');
    expect(error.message).toContain("cat.png");
  });

  it('422 invalid fields, every issue with its path', async () => {
    const error = await refused(
      JSON.stringify([{ content: 'ok' }, { content: '   ' }, { contnet: 'typo' }, { content: 'x', mediaType: 'application/pdf' }, { content: 'y', metadata: 'nope' }]),
      'application/json',
      422,
      'invalid_document',
    );
    expect(error.issues).toEqual([
      { path: [2, 'content'], message: 'required' },
      { path: [2], message: "unknown field 'contnet'" },
      { path: [3, 'mediaType'], message: expect.stringContaining('text/plain') },
      { path: [4, 'metadata'], message: expect.any(String) },
      { path: [1, 'content'], message: 'must not be empty after trimming whitespace' },
    ]);
  });

  it('422 invalid UTF-8 with the byte offset', async () => {
    const error = await refused(Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9, 0x21])]), 'text/plain', 422, 'invalid_document');
    expect(error.message).toMatch(/byte 0xe9 at offset 3/);
    expect(error.issues).toEqual([{ path: ['body'], message: 'invalid UTF-8 at byte offset 3' }]);
  });

  it('422 an empty body, an empty array, a form without files, a single-document parameter on a batch', async () => {
    await refused('', 'text/plain', 422, 'invalid_document');
    await refused('[]', 'application/json', 422, 'invalid_document');
    const form = new FormData();
    form.append('only', 'a field');
    await refused(form, undefined, 422, 'invalid_document');
    const error = await refused('{"content":"a"}', 'application/json', 422, 'invalid_document', '?name=x');
    expect(error.issues).toEqual([{ path: ['query', 'name'], message: 'only allowed with text/plain, text/html or text/markdown bodies' }]);
  });

  it('counts rejected documents', async () => {
    const text = await (await fetch(`${h.url}/metrics`)).text();
    expect(text).toMatch(/crucible_ingestion_documents_total\{outcome="rejected",via="http",service="ingestion"\} [1-9]/);
  });
});
