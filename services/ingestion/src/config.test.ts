import { ConfigError } from '@crucible/contracts';
import { describe, expect, it } from 'vitest';
import { limitsOf, loadConfig } from './config';
import { DEFAULT_LIMITS } from './document/ingestion-limits';

describe('ingestion config', () => {
  it('defaults the limits', () => {
    expect(limitsOf(loadConfig({}))).toEqual(DEFAULT_LIMITS);
  });

  it('reads limits from the environment', () => {
    expect(limitsOf(loadConfig({ INGESTION_MAX_DOCUMENT_BYTES: '1000', INGESTION_MAX_REQUEST_BYTES: '5000' }))).toEqual({
      maxDocumentBytes: 1000,
      maxRequestBytes: 5000,
    });
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ INGESTION_MAX_DOCUMENT_BYTES: '-1', HTTP_PORT: 'x', CRUCIBLE_BUS: 'kafka' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.path.join('.')).sort()).toEqual(['HTTP_PORT', 'INGESTION_MAX_DOCUMENT_BYTES']);
    }
  });

  it('refuses a request limit below the document limit', () => {
    expect(() => loadConfig({ INGESTION_MAX_DOCUMENT_BYTES: '1000', INGESTION_MAX_REQUEST_BYTES: '999' })).toThrow(/INGESTION_MAX_REQUEST_BYTES/);
  });
});
