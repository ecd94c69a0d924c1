/**
 * Way in (a): `crucible.documents.received.v1`, where applications and kcat produce. Thin:
 * the bus has already validated the envelope and payload (a malformed record never gets
 * here; it is dead-lettered with every issue in its reason header).
 */
import type { EventContext } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { Consume } from '@crucible/service-kit';
import { Controller } from '@nestjs/common';
import { IngestService } from '../ingest-documents/ingest.service';
import { INGESTION_GROUP } from '../ingest-documents/ingestion.options';

@Controller()
export class DocumentsReceivedConsumer {
  constructor(private readonly ingest: IngestService) {}

  @Consume(TOPICS.documentsReceived, INGESTION_GROUP)
  async onReceived(event: Event<typeof TOPICS.documentsReceived>, context: EventContext): Promise<void> {
    this.ingest.ingestReceived(event, context);
  }
}
