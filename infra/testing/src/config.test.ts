import { describe, expect, it } from 'vitest';
import { exportConnectionEnv, InfraConfigError, parseBrokers, parseInfraList, readOverrides } from './config';
import { partitionsFor } from './kafka';

describe('parseInfraList', () => {
  it('treats unset as the defaults (kube is opt-in)', () => {
    expect(parseInfraList(undefined)).toBe('default');
  });

  it('parses a comma list, trimming, lower-casing and de-duplicating', () => {
    expect(parseInfraList(' Kafka,postgres ,kafka')).toEqual(['kafka', 'postgres']);
  });

  it('reads "" and "none" as no services', () => {
    expect(parseInfraList('')).toEqual([]);
    expect(parseInfraList('none')).toEqual([]);
  });

  it('rejects unknown names instead of silently skipping them', () => {
    expect(() => parseInfraList('kafka,postgress')).toThrow(InfraConfigError);
  });
});

describe('overrides', () => {
  it('reads KAFKA_BROKERS, DATABASE_URL and KUBECONFIG; empty values do not count', () => {
    expect(
      readOverrides({ KAFKA_BROKERS: 'a:1, b:2,', DATABASE_URL: 'postgres://x', KUBECONFIG: '' }),
    ).toEqual({
      kafkaBrokers: ['a:1', 'b:2'],
      databaseUrl: 'postgres://x',
      kubeconfig: undefined,
    });
    expect(parseBrokers(' , ')).toEqual([]);
  });

  it('exports connection info for workers in the same variables it reads', () => {
    const env: NodeJS.ProcessEnv = {};
    exportConnectionEnv(
      { kafkaBrokers: ['127.0.0.1:19092'], databaseUrl: 'postgres://d', kubeconfig: '/k' },
      env,
    );
    expect(readOverrides(env)).toEqual({
      kafkaBrokers: ['127.0.0.1:19092'],
      databaseUrl: 'postgres://d',
      kubeconfig: '/k',
    });
  });
});

describe('partitionsFor', () => {
  it('gives data topics 3 partitions and dead-letter topics 1', () => {
    expect(partitionsFor('crucible.documents.received.v1')).toBe(3);
    expect(partitionsFor('crucible.documents.received.v1.dlq')).toBe(1);
  });
});
