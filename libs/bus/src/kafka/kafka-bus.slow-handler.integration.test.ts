/**
 * A handler that runs longer than the group's session timeout (an evaluation of a model, a
 * safety suite) must not get its member evicted and its record redelivered: the consumer
 * heartbeats while the handler runs. Real broker; a 6 s session against a 15 s handler.
 */
import { dlqTopic } from '@crucible/contracts';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { KafkaBus } from './kafka-bus';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const bus = new KafkaBus({ brokers, clientId: 'bus-slow-handler', instanceId: `slow-${randomUUID().slice(0, 8)}`, partitions: 1, sessionTimeoutMs: 6_000 });
afterAll(() => bus.close());

it('keeps the member alive through a handler slower than the session timeout (no redelivery)', async () => {
  const topic = `test.slow-handler.${randomUUID().slice(0, 8)}`;
  await bus.ensureTopics([topic, dlqTopic(topic)]);
  const deliveries: string[] = [];
  let finished = 0;
  const subscription = await bus.subscribe({
    group: `slow-${randomUUID().slice(0, 8)}`,
    topics: [topic],
    handler: async (record) => {
      deliveries.push(record.offset);
      await sleep(15_000);
      finished += 1;
    },
  });
  await bus.publish(topic, [{ key: 'k', value: Buffer.from('{}') }]);
  while (finished < 1) await sleep(250);
  await sleep(3_000); // a redelivery after an eviction would show up here
  await subscription.stop();
  expect(deliveries).toEqual(['0']);
}, 90_000);
