/**
 * The global module every service (and the all-in-one embedded app) imports once: config,
 * logger, metrics, readiness, the event bus, and the health endpoints.
 */
import { EventBus } from '@crucible/bus';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import type { Logger } from './logger';
import { Metrics } from './metrics';
import { Readiness } from './readiness';
import { EVENT_BUS, LOGGER, METRICS, READINESS, SERVICE_CONFIG } from './tokens';

export interface PlatformOptions<C> {
  readonly config: C;
  readonly logger: Logger;
  readonly bus: EventBus;
  readonly metrics: Metrics;
  readonly readiness?: Readiness;
}

@Global()
@Module({})
export class PlatformModule {
  static forRoot<C>(options: PlatformOptions<C>): DynamicModule {
    return {
      module: PlatformModule,
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: options.config },
        { provide: LOGGER, useValue: options.logger },
        { provide: EVENT_BUS, useValue: options.bus },
        { provide: METRICS, useValue: options.metrics },
        { provide: READINESS, useValue: options.readiness ?? new Readiness() },
        { provide: EventBus, useExisting: EVENT_BUS },
      ],
      exports: [SERVICE_CONFIG, LOGGER, EVENT_BUS, METRICS, READINESS, EventBus],
    };
  }
}
