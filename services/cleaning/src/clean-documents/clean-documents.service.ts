/**
 * Cleans one ingested document and emits the outcome: `documents.cleaned`, or
 * `documents.rejected` with the filter, the reason and the text kept for audit.
 *
 * Dedup identity is the ingested *event* id, not the document id: two submissions of the
 * same text share a document id (it is a content hash) and must count as duplicates, while a
 * redelivery of the same event must not count as a duplicate of itself.
 */
import type { EventContext } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import {
  type CleaningConfig,
  type DedupIndex,
  FilterStats,
  cleanDocument,
} from '@crucible/curation';
import { Inject, Injectable } from '@nestjs/common';
import { METRICS, type Metrics } from '@crucible/service-kit';
import { CLEANING_OPTIONS, type CleaningOptions } from '../cleaning.options';

const ENTRY_SEPARATOR = '#';
const documentIdOf = (entryId: unknown): unknown =>
  typeof entryId === 'string' ? entryId.split(ENTRY_SEPARATOR)[0] : entryId;

@Injectable()
export class CleanDocumentsService {
  readonly stats = new FilterStats();
  private readonly config: CleaningConfig;
  private readonly index: DedupIndex;
  private readonly outcomes;
  private readonly filterOutcomes;

  constructor(
    @Inject(CLEANING_OPTIONS) options: CleaningOptions,
    @Inject(METRICS) metrics: Metrics,
  ) {
    this.config = options.config;
    this.index = options.dedupIndex;
    this.outcomes = metrics.counter('crucible_cleaning_documents_total', 'Documents cleaned or rejected', ['outcome']);
    this.filterOutcomes = metrics.counter('crucible_cleaning_filter_rejections_total', 'Documents removed, by filter and reason', [
      'filter',
      'reason',
    ]);
  }

  async clean(event: Event<typeof TOPICS.documentsIngested>, context: EventContext): Promise<void> {
    const document = event.payload;
    const result = await cleanDocument(
      {
        id: `${document.documentId}${ENTRY_SEPARATOR}${event.id}`,
        text: document.content,
        metadata: document.metadata,
        mediaType: document.mediaType,
      },
      this.config,
      this.index,
      this.stats,
    );
    const lineage = { documentId: document.documentId };
    if (result.kind === 'cleaned') {
      context.emit(
        TOPICS.documentsCleaned,
        {
          documentId: document.documentId,
          text: result.doc.text,
          language: result.language,
          languageScore: Math.min(1, Math.max(0, result.languageScore)),
          redactions: { ...result.redactions },
          source: document.source,
          metadata: document.metadata,
          chars: result.doc.text.length,
        },
        { key: document.documentId, lineage },
      );
      this.outcomes.inc({ outcome: 'cleaned' });
      return;
    }
    const details = { ...result.details };
    if ('duplicateOf' in details) details['duplicateOf'] = documentIdOf(details['duplicateOf']);
    context.emit(
      TOPICS.documentsRejected,
      { documentId: document.documentId, filter: result.filter, reason: result.reason, details, text: result.text, source: document.source },
      { key: document.documentId, lineage },
    );
    this.outcomes.inc({ outcome: 'rejected' });
    this.filterOutcomes.inc({ filter: result.filter, reason: result.reason });
  }
}
