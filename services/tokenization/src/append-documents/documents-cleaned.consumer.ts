/**
 * Translates `documents.cleaned` events into appends to their dataset. The consumer group is
 * fixed when the class is declared (`@Consume` is a decorator), so `cleanedConsumerFor(group)`
 * declares one per group: a second deployment can consume the topic under its own group.
 */
import type { EventContext } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { Consume } from '@crucible/service-kit';
import { Controller, Inject, type Type } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { forTheBus } from '../datasets/bus-error';
import { AppendDocumentsService } from './append-documents.service';

export const TOKENIZATION_GROUP = 'crucible.tokenization';

export function cleanedConsumerFor(group: string): Type<unknown> {
  @Controller()
  class DocumentsCleanedConsumer {
    constructor(@Inject(AppendDocumentsService) private readonly service: AppendDocumentsService) {}

    @Consume(TOPICS.documentsCleaned, group)
    onCleaned(@Payload() event: Event<typeof TOPICS.documentsCleaned>, @Ctx() context: EventContext): Promise<void> {
      return forTheBus(() => this.service.append(event, context));
    }
  }
  return DocumentsCleanedConsumer;
}
