import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentIdOf } from '../document/document-id';
import { type IngestionHarness, payloads, startIngestion } from '../testing/ingestion-harness';

let h: IngestionHarness;
beforeAll(async () => {
  h = await startIngestion({ maxDocumentBytes: 1_000, maxRequestBytes: 4_000 });
});
afterAll(() => h.stop());

const post = (body: BodyInit, contentType?: string, query = '', headers: Record<string, string> = {}) =>
  fetch(`${h.url}/v1/documents${query}`, { method: 'POST', body, headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers } });

describe('POST /v1/documents', () => {
  it('accepts one JSON document', async () => {
    const before = h.ingested().length;
    const response = await post(JSON.stringify({ content: 'Hello world.', externalId: 'ext-1', metadata: { lang: 'en' } }), 'application/json');
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: [{ documentId: documentIdOf('Hello world.'), externalId: 'ext-1' }], count: 1 });
    const [doc] = payloads(h).slice(before);
    expect(doc).toMatchObject({ content: 'Hello world.', mediaType: 'text/plain', bytes: 12, externalId: 'ext-1', source: { kind: 'http' }, metadata: { lang: 'en' } });
  });
});
