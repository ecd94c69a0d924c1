/** Builds the configured transport: the embedded SQLite log or a Kafka client. */
import { type Bus, EmbeddedBus, KafkaBus } from '@crucible/bus';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BaseConfig } from './config';
import type { Logger } from './logger';

export function createBus(config: BaseConfig, logger: Logger): Bus {
  const onError = (error: unknown, context: { topic: string; group: string }) =>
    logger.warn({ ...context, err: error instanceof Error ? { message: error.message, code: (error as { code?: string }).code } : error }, 'handler failed');
  if (config.CRUCIBLE_BUS === 'kafka') {
    return new KafkaBus({
      brokers: config.KAFKA_BROKERS ?? [],
      clientId: config.KAFKA_CLIENT_ID,
      instanceId: config.CRUCIBLE_INSTANCE_ID,
      ssl: config.KAFKA_SSL,
      sasl: config.KAFKA_SASL_MECHANISM
        ? ({ mechanism: config.KAFKA_SASL_MECHANISM, username: config.KAFKA_SASL_USERNAME!, password: config.KAFKA_SASL_PASSWORD! } as never)
        : undefined,
      onError,
    });
  }
  mkdirSync(config.CRUCIBLE_DATA_DIR, { recursive: true });
  return new EmbeddedBus({ path: join(config.CRUCIBLE_DATA_DIR, 'bus.sqlite'), onError });
}
