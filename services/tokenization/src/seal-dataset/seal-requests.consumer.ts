/**
 * Translates `dataset-seal.requested` events into seals. The request's event id is the seal
 * key, so a redelivered request re-announces the version it made instead of making another.
 */
import type { EventContext } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { Consume } from '@crucible/service-kit';
import { Controller, Inject, type Type } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { forTheBus } from '../datasets/bus-error';
import { DatasetsService } from './datasets.service';
import { sealedEmitOptions } from './sealed-event';

/** Its own group (`<group>.seal`): the Kafka adapter derives transactional ids from the group, one per subscription. */
export const sealRequestsGroupOf = (group: string): string => `${group}.seal`;

export function sealRequestsConsumerFor(group: string): Type<unknown> {
  @Controller()
  class SealRequestsConsumer {
    constructor(@Inject(DatasetsService) private readonly datasets: DatasetsService) {}

    @Consume(TOPICS.datasetSealRequested, sealRequestsGroupOf(group))
    async onSealRequested(@Payload() event: Event<typeof TOPICS.datasetSealRequested>, @Ctx() context: EventContext): Promise<void> {
      const outcome = await forTheBus(() => this.datasets.seal({ dataset: event.payload.dataset, sealKey: `event:${event.id}`, reason: event.payload.reason }));
      context.emit(TOPICS.datasetsSealed, outcome.record.sealed, sealedEmitOptions(outcome.record));
    }
  }
  return SealRequestsConsumer;
}
