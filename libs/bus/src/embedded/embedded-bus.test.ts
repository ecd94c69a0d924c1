import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { busConformance } from '../testing';
import { EmbeddedBus } from './embedded-bus';

describe('EmbeddedBus (conformance)', () => {
  busConformance(() => {
    // One SQLite file per test, so makeBus() after close() reopens the same durable log.
    const path = join(mkdtempSync(join(tmpdir(), 'crucible-bus-')), 'bus.sqlite');
    let reader: EmbeddedBus | undefined;
    return {
      makeBus: async () => new EmbeddedBus({ path, idlePollMs: 50 }),
      topic: async (name) => `test.${name}`,
      readAll: async (topic) => {
        reader ??= new EmbeddedBus({ path });
        return reader.read(topic).map((r) => ({ key: r.key, value: r.value.toString(), headers: r.headers }));
      },
    };
  });
});

describe('EmbeddedBus', () => {
  it('refuses a second member of the same group on the same topic', async () => {
    const bus = new EmbeddedBus({ path: ':memory:' });
    await bus.subscribe({ group: 'g', topics: ['t'], handler: async () => undefined });
    await expect(bus.subscribe({ group: 'g', topics: ['t'], handler: async () => undefined })).rejects.toThrow(/already consumes/);
    await bus.close();
  });

  it('refuses unknown topics when auto-creation is off', async () => {
    const bus = new EmbeddedBus({ path: ':memory:', autoCreateTopics: false });
    await expect(bus.publish('nope', [{ key: 'k', value: Buffer.from('x') }])).rejects.toThrow(/does not exist/);
    await bus.ensureTopics(['yes']);
    await bus.publish('yes', [{ key: 'k', value: Buffer.from('x') }]);
    expect(bus.read('yes')).toHaveLength(1);
    await bus.close();
  });

  it('spreads keys over partitions but keeps one key in one partition', async () => {
    const bus = new EmbeddedBus({ path: ':memory:', defaultPartitions: 4 });
    await bus.publish('p', ['a', 'b', 'c', 'd', 'e', 'f', 'a', 'a'].map((k) => ({ key: k, value: Buffer.from(k) })));
    const byPartition = [0, 1, 2, 3].map((p) => bus.read('p', p).map((r) => r.key));
    expect(byPartition.flat()).toHaveLength(8);
    expect(byPartition.filter((keys) => keys.includes('a'))).toHaveLength(1);
    expect(byPartition.filter((keys) => keys.length > 0).length).toBeGreaterThan(1);
    await bus.close();
  });
});
