/**
 * Way in (a): `crucible.documents.received.v1`, where applications and kcat produce. Thin:
 * the bus has already validated the envelope and payload (a malformed record never gets
 * here; it is dead-lettered with every issue in its reason header).
 */
import type { EventContext } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { Consume } from '@crucible/service-kit';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { IngestService } from '../ingest-documents/ingest.service';
import { INGESTION_GROUP } from '../ingest-documents/ingestion.options';

@Controller()
export class DocumentsReceivedConsumer {
  constructor(private readonly ingest: IngestService) {}

  // Nest passes only the payload to an undecorated handler; @Ctx() is needed for the context.
  @Consume(TOPICS.documentsReceived, INGESTION_GROUP)
  async onReceived(@Payload() event: Event<typeof TOPICS.documentsReceived>, @Ctx() context: EventContext): Promise<void> {
    this.ingest.ingestReceived(event, context);
  }
}
