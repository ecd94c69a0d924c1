/**
 * Way in (a): `crucible.documents.received.v1`, where applications and kcat produce. Thin:
 * the bus has already validated the envelope and payload (a malformed record never gets
 * here; it is dead-lettered with every issue in its reason header).
 *
 * The consumer group is fixed when the class is declared (`@Consume` is a decorator), so
 * `receivedConsumerFor(group)` declares one per group: a second deployment (or a test run)
 * can consume the topic independently under its own group.
 */
import type { EventContext } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { Consume } from '@crucible/service-kit';
import { Controller, Inject, type Type } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { IngestService } from '../ingest-documents/ingest.service';
import { INGESTION_GROUP } from '../ingest-documents/ingestion.options';

export function receivedConsumerFor(group: string): Type<unknown> {
  @Controller()
  class DocumentsReceivedConsumer {
    constructor(@Inject(IngestService) private readonly ingest: IngestService) {}

    // Nest passes only the payload to an undecorated handler; @Ctx() is needed for the context.
    @Consume(TOPICS.documentsReceived, group)
    async onReceived(@Payload() event: Event<typeof TOPICS.documentsReceived>, @Ctx() context: EventContext): Promise<void> {
      this.ingest.ingestReceived(event, context);
    }
  }
  return DocumentsReceivedConsumer;
}

/** The consumer in the default group, `ingestion`. */
export const DocumentsReceivedConsumer = receivedConsumerFor(INGESTION_GROUP);
