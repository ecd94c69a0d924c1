import { DocumentIngestedSchema, DocumentTooLargeError, ValidationError } from '@crucible/contracts';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DocumentCandidate } from './document-candidate';
import { documentIdOf } from './document-id';
import { issuesOf, prepareAll, prepareDocument } from './prepare-document';

const limits = { maxDocumentBytes: 16, maxRequestBytes: 1_000 };
const at = new Date('2025-01-02T03:04:05.000Z');
const candidate = (content: string, extra: Partial<DocumentCandidate> = {}): DocumentCandidate => ({
  content,
  mediaType: 'text/plain',
  metadata: {},
  source: { kind: 'http' },
  at: [],
  ...extra,
});

describe('documentIdOf', () => {
  it('is sha256 of the UTF-8 text, stable for the same text', () => {
    const expected = createHash('sha256').update(Buffer.from('héllo', 'utf8')).digest('hex');
    expect(documentIdOf('héllo')).toBe(`sha256:${expected}`);
    expect(documentIdOf('héllo')).toBe(documentIdOf('héllo'));
    expect(documentIdOf('hello')).not.toBe(documentIdOf('héllo'));
  });
});

describe('prepareDocument', () => {
  it('builds a valid documents.ingested payload keeping source and caller metadata', () => {
    const doc = prepareDocument(
      candidate('hello', { externalId: 'e-1', metadata: { lang: 'en' }, source: { kind: 'http', name: 'greeting' }, mediaType: 'text/markdown' }),
      limits,
      at,
    );
    expect(DocumentIngestedSchema.parse(doc)).toEqual(doc);
    expect(doc).toEqual({
      documentId: documentIdOf('hello'),
      content: 'hello',
      mediaType: 'text/markdown',
      bytes: 5,
      externalId: 'e-1',
      source: { kind: 'http', name: 'greeting' },
      metadata: { lang: 'en' },
      receivedAt: '2025-01-02T03:04:05.000Z',
    });
  });

  it('strips a leading BOM so BOM and no-BOM copies get one id', () => {
    expect(prepareDocument(candidate('\uFEFFhello'), limits, at).documentId).toBe(documentIdOf('hello'));
  });

  it('does not normalise Unicode (cleaning does NFC)', () => {
    const decomposed = 'cafe\u0301';
    expect(prepareDocument(candidate(decomposed), limits, at).content).toBe(decomposed);
  });

  it('rejects empty and whitespace-only content with the path', () => {
    for (const content of ['', ' \n\t ', '\uFEFF  ']) {
      try {
        prepareDocument(candidate(content, { at: [3] }), limits, at);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).code).toBe('invalid_document');
        expect((error as ValidationError).issues[0]?.path).toEqual([3, 'content']);
      }
    }
  });

  it('measures the limit in UTF-8 bytes, inclusive', () => {
    expect(prepareDocument(candidate('a'.repeat(16)), limits, at).bytes).toBe(16);
    expect(() => prepareDocument(candidate('é'.repeat(9)), limits, at)).toThrow(DocumentTooLargeError);
    expect(() => prepareDocument(candidate('é'.repeat(9)), limits, at)).toThrow('document is 18 bytes; the limit is 16');
  });

  it('rejects unpaired surrogates with their index', () => {
    expect(() => prepareDocument(candidate('ab\uD800c'), limits, at)).toThrow(/index 2/);
    expect(prepareDocument(candidate('ab🎉'), limits, at).bytes).toBe(6);
  });
});

describe('prepareAll', () => {
  it('collects every failure with its location', () => {
    const result = prepareAll(
      [candidate('ok', { at: [0] }), candidate(' ', { at: [1] }), candidate('x'.repeat(17), { at: [2] })],
      limits,
      at,
    );
    expect(result.documents.map((d) => d.content)).toEqual(['ok']);
    expect(result.failures.flatMap(issuesOf)).toEqual([
      { path: [1, 'content'], message: 'must not be empty after trimming whitespace' },
      { path: [2, 'content'], message: 'document is 17 bytes; the limit is 16' },
    ]);
  });
});
