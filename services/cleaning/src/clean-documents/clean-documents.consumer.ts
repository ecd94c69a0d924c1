/** Translates `documents.ingested` events into calls of the cleaning service. */
import type { EventContext } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { Consume } from '@crucible/service-kit';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { CleanDocumentsService } from './clean-documents.service';

export const CLEANING_GROUP = 'crucible.cleaning';

@Controller()
export class CleanDocumentsConsumer {
  constructor(private readonly service: CleanDocumentsService) {}

  @Consume(TOPICS.documentsIngested, CLEANING_GROUP)
  onIngested(@Payload() event: Event<typeof TOPICS.documentsIngested>, @Ctx() context: EventContext): Promise<void> {
    return this.service.clean(event, context);
  }
}
