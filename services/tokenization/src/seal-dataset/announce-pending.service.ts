/**
 * The outbox relay: at start, publishes `datasets.sealed` for HTTP seals whose announcement a
 * crash interrupted (committed in SQLite, event not yet published). The event id follows from
 * the seal key, so an announcement that did go out before the crash arrives again with the
 * same id and downstream consumers drop the copy.
 */
import { EventBus } from '@crucible/bus';
import { TOPICS } from '@crucible/contracts';
import { LOGGER, type Logger } from '@crucible/service-kit';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DatasetsService } from './datasets.service';
import { sealedEmitOptions, sealedEventId } from './sealed-event';

@Injectable()
export class AnnouncePendingService implements OnApplicationBootstrap {
  constructor(
    private readonly datasets: DatasetsService,
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const record of this.datasets.unannounced()) {
      try {
        await this.bus.emit(TOPICS.datasetsSealed, record.sealed, { ...sealedEmitOptions(record), id: sealedEventId(record.sealKey) });
        this.datasets.announced(record.sealKey);
        this.logger.info({ datasetId: record.datasetId }, 'announced a seal a crash left unannounced');
      } catch (error) {
        // The next start retries: the version stays in the outbox.
        this.logger.error({ err: error, datasetId: record.datasetId }, 'cannot announce a pending seal');
      }
    }
  }
}
