/**
 * The one ingestion service behind all three ways in (bus, HTTP, files): validates and
 * normalises candidates (document/prepare-document.ts), publishes `documents.ingested` keyed by
 * the content-hash id, and counts outcomes in `crucible_ingestion_documents_total{outcome,via}`.
 *
 * Two publishing disciplines:
 * - a batch (an HTTP request) is published only once every document in it validated, in one
 *   `publishAll` call, so a 4xx accepts nothing;
 * - an event from the bus is emitted through the handler context, committed atomically with its
 *   input offset; a document that can never pass throws a non-retriable typed error and the
 *   bus dead-letters the input with the reason.
 */
import { type EventBus, type EventContext } from '@crucible/bus';
import {
  type DocumentIngested,
  DocumentTooLargeError,
  type Event,
  TOPICS,
  ValidationError,
  createEvent,
} from '@crucible/contracts';
import { EVENT_BUS, METRICS, type Metrics } from '@crucible/service-kit';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { isUtf8 } from 'node:buffer';
import type { Counter } from 'prom-client';
import type { DocumentCandidate } from '../document/document-candidate';
import { firstInvalidUtf8Offset } from '../document/decode-text';
import { DocumentsRejectedError } from '../document/ingestion.errors';
import { DEFAULT_LIMITS, type IngestionLimits } from '../document/ingestion-limits';
import { type DocumentFailure, prepareAll, prepareDocument } from '../document/prepare-document';
import { INGESTION_OPTIONS, INGESTION_SOURCE, type IngestionOptions } from './ingestion.options';

/** Which way a document came in: the `via` label of the counters. */
export type IngestVia = 'http' | 'kafka' | 'file';

export interface AcceptedDocument {
  readonly documentId: string;
  readonly externalId?: string;
}

type ReceivedEvent = Event<typeof TOPICS.documentsReceived>;

@Injectable()
export class IngestService {
  readonly limits: IngestionLimits;
  private readonly documents?: Counter<'outcome' | 'via'>;
  private readonly bytes?: Counter<'via'>;

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Optional() @Inject(INGESTION_OPTIONS) options?: IngestionOptions,
    @Optional() @Inject(METRICS) metrics?: Metrics,
  ) {
    this.limits = options?.limits ?? DEFAULT_LIMITS;
    this.documents = metrics?.counter('crucible_ingestion_documents_total', 'Documents by outcome (accepted, rejected) and way in (http, kafka, file)', ['outcome', 'via']);
    this.bytes = metrics?.counter('crucible_ingestion_bytes_total', 'UTF-8 bytes of accepted documents, by way in', ['via']);
  }

  /** Validates the whole batch and publishes it in one call, or throws `DocumentsRejectedError` and publishes nothing. */
  async acceptBatch(
    candidates: readonly DocumentCandidate[],
    via: IngestVia,
    options: { failures?: readonly DocumentFailure[]; receivedAt?: Date } = {},
  ): Promise<AcceptedDocument[]> {
    const { documents, failures } = prepareAll(candidates, this.limits, options.receivedAt ?? new Date());
    const allFailures = [...(options.failures ?? []), ...failures];
    if (allFailures.length > 0) {
      this.countRejected(via, allFailures.length);
      throw new DocumentsRejectedError(allFailures);
    }
    return this.publish(documents, via);
  }

  /** Publishes already-prepared documents in one call (one SQLite transaction, one Kafka produce request). */
  async publish(documents: readonly DocumentIngested[], via: IngestVia): Promise<AcceptedDocument[]> {
    if (documents.length === 0) return [];
    const events = documents.map((document) =>
      createEvent(TOPICS.documentsIngested, document, {
        source: INGESTION_SOURCE,
        key: document.documentId,
        lineage: { documentId: document.documentId },
      }),
    );
    await this.bus.publishAll(TOPICS.documentsIngested, events);
    this.countAccepted(via, documents);
    return documents.map((d) => (d.externalId === undefined ? { documentId: d.documentId } : { documentId: d.documentId, externalId: d.externalId }));
  }

  /**
   * One `documents.received` event: emitted as `documents.ingested` atomically with the offset
   * commit. Throws `ValidationError` / `DocumentTooLargeError` (non-retriable ⇒ dead-lettered).
   */
  ingestReceived(event: ReceivedEvent, context: EventContext): DocumentIngested {
    let document: DocumentIngested;
    try {
      document = prepareDocument(this.candidateOf(event, context), this.limits, new Date(event.time));
    } catch (error) {
      if (error instanceof ValidationError || error instanceof DocumentTooLargeError) this.countRejected('kafka', 1);
      throw error;
    }
    context.emit(TOPICS.documentsIngested, document, { key: document.documentId, lineage: { documentId: document.documentId } });
    this.countAccepted('kafka', [document]);
    return document;
  }

  countRejected(via: IngestVia, count: number): void {
    this.documents?.inc({ outcome: 'rejected', via }, count);
  }

  private countAccepted(via: IngestVia, documents: readonly DocumentIngested[]): void {
    this.documents?.inc({ outcome: 'accepted', via }, documents.length);
    this.bytes?.inc({ via }, documents.reduce((sum, d) => sum + d.bytes, 0));
  }

  private candidateOf(event: ReceivedEvent, context: EventContext): DocumentCandidate {
    const { record } = context;
    // The bus decodes records leniently (invalid bytes become U+FFFD); refuse them here instead.
    if (!isUtf8(record.value)) {
      const offset = firstInvalidUtf8Offset(record.value);
      throw new ValidationError(`record is not valid UTF-8 (byte offset ${offset} of the value)`, [
        { path: [], message: `invalid UTF-8 at byte offset ${offset}` },
      ], 'invalid_document');
    }
    const { payload } = event;
    return {
      content: payload.content,
      mediaType: payload.mediaType,
      ...(payload.externalId !== undefined ? { externalId: payload.externalId } : {}),
      metadata: payload.metadata,
      // A producer may say where the document really came from; otherwise the record is the source.
      source: payload.source ?? { kind: 'kafka', uri: `kafka:${record.topic}/${record.partition}/${record.offset}` },
      at: ['payload'],
    };
  }
}
