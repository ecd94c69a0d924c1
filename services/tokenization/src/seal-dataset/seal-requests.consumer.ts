/**
 * Translates `dataset-seal.requested` events into seals. The request's event id is the seal
 * key, so a redelivered request re-announces the version it made instead of making another.
 */
import type { EventContext } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { Consume } from '@crucible/service-kit';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { forTheBus } from '../datasets/bus-error';
import { DatasetsService } from './datasets.service';
import { sealedEmitOptions } from './sealed-event';

/** Its own group: the Kafka adapter derives transactional ids from the group, one per subscription. */
export const SEAL_REQUESTS_GROUP = 'crucible.tokenization.seal';

@Controller()
export class SealRequestsConsumer {
  constructor(private readonly datasets: DatasetsService) {}

  @Consume(TOPICS.datasetSealRequested, SEAL_REQUESTS_GROUP)
  async onSealRequested(@Payload() event: Event<typeof TOPICS.datasetSealRequested>, @Ctx() context: EventContext): Promise<void> {
    const outcome = await forTheBus(() => this.datasets.seal({ dataset: event.payload.dataset, sealKey: `event:${event.id}`, reason: event.payload.reason }));
    context.emit(TOPICS.datasetsSealed, outcome.record.sealed, sealedEmitOptions(outcome.record));
  }
}
