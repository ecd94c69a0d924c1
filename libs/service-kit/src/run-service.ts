/**
 * Starts a Nest application: HTTP (health, metrics, the service's own API) plus the bus
 * transport, with graceful shutdown on SIGTERM/SIGINT: readiness fails first, consumers
 * drain and commit, then connections close.
 */
import type { Bus } from '@crucible/bus';
import { type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { EventBus } from '@crucible/bus';
import { BusServer, type BusServerOptions } from './bus-server';
import { type Logger, NestPinoLogger } from './logger';
import type { Readiness } from './readiness';
import { READINESS } from './tokens';

export interface RunServiceOptions {
  readonly module: Type<unknown> | import('@nestjs/common').DynamicModule;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly host: string;
  readonly port: number;
  /** Nest's JSON/urlencoded parsers; ingestion turns them off to read raw bodies of any media type. */
  readonly bodyParser?: boolean;
  /** Consumer-group rewriting and start position for every `@Consume` handler. */
  readonly consumers?: BusServerOptions;
}

export interface RunningService {
  readonly app: INestApplication;
  readonly url: string;
  stop(): Promise<void>;
}

export async function runService(options: RunServiceOptions): Promise<RunningService> {
  const app = await NestFactory.create(options.module, {
    logger: new NestPinoLogger(options.logger),
    bodyParser: options.bodyParser ?? true,
    abortOnError: false,
  });
  app.connectMicroservice({ strategy: new BusServer(options.bus, options.consumers) }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(options.port, options.host);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${options.host}:${address.port}`;
  options.logger.info({ url }, 'service listening');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      app.get<Readiness>(READINESS).markStopping();
      await app.close(); // closes microservices (drains consumers), then HTTP
      await (options.bus.transport as Bus).close();
    })());
  return { app, url, stop };
}

/** Stops the service on SIGTERM/SIGINT; a second signal exits at once. */
export function stopOnSignals(service: { stop(): Promise<void> }, logger: Logger): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(130);
    signalled = true;
    logger.info({ signal }, 'draining before exit');
    void service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
