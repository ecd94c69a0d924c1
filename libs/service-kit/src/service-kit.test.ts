import { EmbeddedBus, EventBus, type EventContext } from '@crucible/bus';
import { Ctx, Payload } from '@nestjs/microservices';
import { ConfigError, type Event, TOPICS, ValidationError, dlqTopic } from '@crucible/contracts';
import { Controller, Inject, Module } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  BaseConfigSchema,
  Consume,
  EVENT_BUS,
  Metrics,
  PlatformModule,
  type RunningService,
  createLogger,
  parseConfig,
  runService,
  withBusRules,
} from './index';

describe('parseConfig', () => {
  it('applies defaults', () => {
    const config = parseConfig(withBusRules(BaseConfigSchema), {});
    expect(config).toMatchObject({ CRUCIBLE_BUS: 'embedded', HTTP_PORT: 8080, LOG_LEVEL: 'info' });
  });

  it('fails fast listing every problem at once', () => {
    const schema = withBusRules(BaseConfigSchema.extend({ MAX_BYTES: z.coerce.number().int().positive() }));
    try {
      parseConfig(schema, { CRUCIBLE_BUS: 'kafka', HTTP_PORT: 'eighty', MAX_BYTES: '-1' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const paths = (error as ConfigError).issues.map((i) => i.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['HTTP_PORT', 'MAX_BYTES']));
      expect((error as ConfigError).message).toMatch(/HTTP_PORT/);
    }
  });

  it('requires brokers for the Kafka bus', () => {
    expect(() => parseConfig(withBusRules(BaseConfigSchema), { CRUCIBLE_BUS: 'kafka' })).toThrow(/KAFKA_BROKERS: required/);
    expect(parseConfig(withBusRules(BaseConfigSchema), { CRUCIBLE_BUS: 'kafka', KAFKA_BROKERS: 'a:1,b:2' }).KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
  });
});

// Nest discovers @EventPattern handlers on controllers only: consumers are controllers.
@Controller()
class EchoConsumer {
  constructor(@Inject(EVENT_BUS) readonly bus: EventBus) {}
  @Consume(TOPICS.servingFeedback, 'echo-test')
  async onFeedback(@Payload() event: Event<typeof TOPICS.servingFeedback>, @Ctx() context: EventContext) {
    if (event.payload.requestId === 'bad') throw new ValidationError('rejected by handler');
    received.push(`${event.payload.requestId}@${context.record.offset}`);
  }
}
@Module({ controllers: [EchoConsumer] })
class EchoModule {}
const received: string[] = [];

describe('runService', () => {
  let service: RunningService | undefined;
  afterEach(async () => service?.stop());

  it('serves health, readiness and metrics, and delivers events to @Consume handlers', async () => {
    const logger = createLogger('echo', 'silent');
    const transport = new EmbeddedBus({ path: ':memory:', idlePollMs: 20 });
    const bus = new EventBus(transport, 'test');
    const metrics = new Metrics('echo');
    metrics.counter('echo_things_total', 'things').inc(3);
    @Module({ imports: [PlatformModule.forRoot({ config: {}, logger, bus, metrics }), EchoModule] })
    class App {}
    service = await runService({ module: App, bus, logger, host: '127.0.0.1', port: 0 });

    await bus.emit(TOPICS.servingFeedback, { requestId: 'bad', modelVersionId: 'm', rating: 1 }, { key: 'r' });
    await bus.emit(TOPICS.servingFeedback, { requestId: 'r-1', modelVersionId: 'm', rating: 1 }, { key: 'r' });
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual(['r-1@1']);
    // The typed error crossed Nest's exception layer intact: dead-lettered at once, with its reason.
    const dead = transport.read(dlqTopic(TOPICS.servingFeedback));
    expect(dead).toHaveLength(1);
    expect(dead[0]!.headers).toMatchObject({ 'x-crucible-dlq-reason': 'rejected by handler', 'x-crucible-dlq-attempts': '1' });

    expect(await (await fetch(`${service.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(text).toMatch(/echo_things_total\{service="echo"\} 3/);
  });
});
