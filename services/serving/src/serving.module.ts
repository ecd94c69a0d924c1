/**
 * The serving gateway as a Nest module; the host (service main or `crucible up`) provides
 * the platform (bus, logger, metrics, readiness).
 *
 * @example
 *   imports: [PlatformModule.forRoot({ config, logger, bus, metrics }), ServingModule.forRoot(openServing({ dataDir, registry }))]
 */
import { EventBus } from '@crucible/bus';
import { LOGGER, type Logger, METRICS, type Metrics, READINESS, type Readiness } from '@crucible/service-kit';
import { type DynamicModule, Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy, Optional, type Type } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { AdminKeysHttpController } from './auth/admin-keys.http.controller';
import { CompletionService } from './completions/completion.service';
import { FeedbackHttpController } from './feedback/feedback.http.controller';
import { serveHotRoutes } from './http/hot-routes';
import { ModelsHttpController } from './models/models.http.controller';
import { OpenAiErrorFilter } from './openai/openai-error.filter';
import { OpenApiHttpController } from './openai/openapi.http.controller';
import { SERVING_GROUP, approvedConsumerFor } from './release/model-approved.consumer';
import { ServingRuntime } from './serving-runtime';
import { SERVING_OPTIONS, type ServingOptions } from './serving.options';

const KEEP_ALIVE_MS = 65_000;

@Module({})
export class ServingModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(ServingRuntime) private readonly runtime: ServingRuntime,
    @Inject(CompletionService) private readonly completions: CompletionService,
    @Optional() @Inject(HttpAdapterHost) private readonly http?: HttpAdapterHost,
  ) {}

  static forRoot(options: ServingOptions): DynamicModule {
    const controllers: Type<unknown>[] = [ModelsHttpController, FeedbackHttpController, OpenApiHttpController, AdminKeysHttpController];
    if (options.settings.rollout.mode === 'embedded') controllers.push(approvedConsumerFor(options.group ?? SERVING_GROUP));
    return {
      module: ServingModule,
      controllers,
      providers: [
        { provide: SERVING_OPTIONS, useValue: options },
        {
          provide: ServingRuntime,
          inject: [SERVING_OPTIONS, EventBus, LOGGER, METRICS, READINESS],
          useFactory: (o: ServingOptions, bus: EventBus, logger: Logger, metrics: Metrics, readiness: Readiness) => new ServingRuntime(o, bus, logger, metrics, readiness),
        },
        CompletionService,
        OpenAiErrorFilter,
      ],
      exports: [ServingRuntime],
    };
  }

  /** Champions load before the first request is accepted (and before the bus consumers start). */
  async onApplicationBootstrap(): Promise<void> {
    // Idle keep-alive sockets outlive the clients' own idle timeouts (undici 4 s, most SDKs < 60 s):
    // with Node's 5 s a client could send a request on a socket the server was just closing.
    const server = this.http?.httpAdapter?.getHttpServer() as Server | undefined;
    if (server) {
      server.keepAliveTimeout = KEEP_ALIVE_MS;
      server.headersTimeout = KEEP_ALIVE_MS + 1_000;
      // `POST /v1/completions` and `POST /v1/chat/completions`, the OpenAI wire format (JSON or SSE), skip Express.
      serveHotRoutes(server, {
        '/v1/completions': this.completions.route('completions'),
        '/v1/chat/completions': this.completions.route('chat'),
      });
    }
    await this.runtime.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runtime.stop();
  }
}
