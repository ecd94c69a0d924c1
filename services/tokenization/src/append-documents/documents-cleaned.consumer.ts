/** Translates `documents.cleaned` events into appends to their dataset. */
import type { EventContext } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { Consume } from '@crucible/service-kit';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { forTheBus } from '../datasets/bus-error';
import { AppendDocumentsService } from './append-documents.service';

export const TOKENIZATION_GROUP = 'crucible.tokenization';

@Controller()
export class DocumentsCleanedConsumer {
  constructor(private readonly service: AppendDocumentsService) {}

  @Consume(TOPICS.documentsCleaned, TOKENIZATION_GROUP)
  onCleaned(@Payload() event: Event<typeof TOPICS.documentsCleaned>, @Ctx() context: EventContext): Promise<void> {
    return forTheBus(() => this.service.append(event, context));
  }
}
