/**
 * Appends each cleaned document to the open version of its dataset (the `dataset` metadata
 * field, else the configured default) and seals the dataset when it crosses the auto-seal
 * threshold. Appending is idempotent: the store ignores a document id the dataset already
 * holds. A threshold seal is keyed by the event that crossed the threshold, so when that
 * event is redelivered the version it made is announced again rather than made twice.
 */
import type { EventContext } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { METRICS, type Metrics } from '@crucible/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { checkDatasetName } from '../datasets/dataset-name';
import type { DatasetStore } from '../datasets/dataset-store';
import { DatasetsService, type OpenStats } from '../seal-dataset/datasets.service';
import { sealedEmitOptions } from '../seal-dataset/sealed-event';
import type { TokenizationConfig } from '../tokenization.config';
import { TOKENIZATION_OPTIONS, type TokenizationOptions } from '../tokenization.options';

@Injectable()
export class AppendDocumentsService {
  private readonly config: TokenizationConfig;
  private readonly store: DatasetStore;
  private readonly appended;

  constructor(
    @Inject(TOKENIZATION_OPTIONS) options: TokenizationOptions,
    private readonly datasets: DatasetsService,
    @Inject(METRICS) metrics: Metrics,
  ) {
    this.config = options.config;
    this.store = options.store;
    this.appended = metrics.counter('crucible_tokenization_documents_total', 'Cleaned documents, by outcome', ['outcome']);
  }

  datasetOf(metadata: Readonly<Record<string, unknown>>): string {
    const routed = metadata[this.config.datasetMetadataField];
    return checkDatasetName(typeof routed === 'string' && routed !== '' ? routed : this.config.dataset);
  }

  async append(event: Event<typeof TOPICS.documentsCleaned>, context: EventContext): Promise<void> {
    const document = event.payload;
    const dataset = this.datasetOf(document.metadata);
    const added = this.store.append(dataset, document.documentId, document.text);
    this.appended.inc({ outcome: added ? 'appended' : 'duplicate' });
    if (!this.autoSealEnabled()) return;
    const outcome = await this.datasets.sealWhen({ dataset, sealKey: `threshold:${event.id}`, reason: 'threshold' }, (open) => this.overThreshold(open));
    if (outcome) context.emit(TOPICS.datasetsSealed, outcome.record.sealed, sealedEmitOptions(outcome.record));
  }

  private autoSealEnabled(): boolean {
    return this.config.autoSeal.documents !== undefined || this.config.autoSeal.chars !== undefined;
  }

  private overThreshold(open: OpenStats): boolean {
    const { documents, chars } = this.config.autoSeal;
    return (documents !== undefined && open.documents >= documents) || (chars !== undefined && open.chars >= chars);
  }
}
