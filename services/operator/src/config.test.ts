import { describe, expect, it } from 'vitest';
import { busEnvOf, deploymentNamespaceOf, loadOperatorConfig } from './config';

describe('operator config', () => {
  it('has working defaults', () => {
    const c = loadOperatorConfig({});
    expect(c).toMatchObject({ OPERATOR_NAMESPACES: [], OPERATOR_LEADER_ELECTION: true, OPERATOR_LEASE_DURATION_SECONDS: 15, OPERATOR_ROUTING_CONFIGMAP: 'crucible-routing' });
    expect(deploymentNamespaceOf(c)).toBe('default');
  });

  it('parses lists and passes bus settings to trainer pods', () => {
    const c = loadOperatorConfig({ OPERATOR_NAMESPACES: 'ml, serving', CRUCIBLE_BUS: 'kafka', KAFKA_BROKERS: 'k1:9092,k2:9092', OPERATOR_METRICS_URLS: 'http://g:8080/metrics' });
    expect(c.OPERATOR_NAMESPACES).toEqual(['ml', 'serving']);
    expect(deploymentNamespaceOf(c)).toBe('ml');
    expect(busEnvOf(c)).toMatchObject({ CRUCIBLE_BUS: 'kafka', KAFKA_BROKERS: 'k1:9092,k2:9092' });
  });

  it('lists every problem at once', () => {
    expect(() => loadOperatorConfig({ OPERATOR_RESYNC_SECONDS: '-1', CRUCIBLE_BUS: 'kafka' })).toThrow(/OPERATOR_RESYNC_SECONDS[\s\S]*KAFKA_BROKERS|KAFKA_BROKERS[\s\S]*OPERATOR_RESYNC_SECONDS/);
  });
});
