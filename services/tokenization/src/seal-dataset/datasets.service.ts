/**
 * Sealing datasets into immutable versions, and reading what exists. A seal is a list of
 * idempotent steps:
 *  1. the seal key (the request's event id) already names a version → return it, make nothing;
 *  2. snapshot the dataset at its last document (later arrivals wait for the next version);
 *  3. train or pick the tokenizer, encode, pack shards and write the manifest into
 *     `<name>@<n>.partial/` (left-overs of a crashed attempt are removed first);
 *  4. rename the directory to `<name>@<n>/` and commit the version and its documents in one
 *     SQLite transaction. A crash before the commit leaves no version: the redelivered request
 *     redoes the seal under the same number.
 * Seals of one dataset run one at a time; reads never wait for them.
 */
import type { DatasetSealed } from '@crucible/contracts';
import { readManifest, type Manifest } from '@crucible/shards';
import { LOGGER, type Logger, METRICS, type Metrics } from '@crucible/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { checkDatasetName, datasetIdOf } from '../datasets/dataset-name';
import { DatasetNotFoundError, NothingToSealError, VersionNotFoundError } from '../datasets/dataset.errors';
import type { DatasetStore, DatasetSummary, StagedDocument, VersionRecord } from '../datasets/dataset-store';
import { PinnedTokenizers, resolveSealTokenizer } from '../seal/tokenizer-source';
import { MANIFEST_FILE, writeVersion } from '../seal/write-version';
import { TOKENIZATION_OPTIONS, type TokenizationOptions } from '../tokenization.options';
import { type SealProgress, describeProgress } from './seal-progress';

export interface SealRequest {
  readonly dataset: string;
  /** Idempotency key: the same key never makes a second version. */
  readonly sealKey: string;
  readonly reason: string;
  /**
   * True when the caller publishes `datasets.sealed` outside a bus handler (HTTP): the version
   * stays in the outbox until `announced` is called, and is re-published at the next start.
   */
  readonly outbox?: boolean;
}

export type OpenStats = { readonly documents: number; readonly chars: number };

export interface SealOutcome {
  readonly record: VersionRecord;
  /** False when the seal key had already made this version (a redelivered request). */
  readonly created: boolean;
}

@Injectable()
export class DatasetsService {
  private readonly store: DatasetStore;
  private readonly datasetsDir: string;
  private readonly pinned = new PinnedTokenizers();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly seals;

  constructor(
    @Inject(TOKENIZATION_OPTIONS) private readonly options: TokenizationOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: Metrics,
  ) {
    this.store = options.store;
    this.datasetsDir = resolve(options.datasetsDir);
    this.seals = metrics.counter('crucible_tokenization_seals_total', 'Dataset seals, by outcome', ['outcome']);
  }

  /** Seals the dataset's open documents into a new version, or returns the version this key made. */
  async seal(request: SealRequest): Promise<SealOutcome> {
    // An always-true condition never skips, so there is always an outcome.
    return (await this.sealWhen(request, () => true))!;
  }

  /**
   * Seals only if `condition` holds for the open documents, checked under the dataset's lock
   * (threshold seals: a seal that ran meanwhile may have taken the documents already).
   */
  async sealWhen(request: SealRequest, condition: (open: OpenStats) => boolean): Promise<SealOutcome | undefined> {
    const dataset = checkDatasetName(request.dataset);
    const done = this.store.bySealKey(request.sealKey);
    if (done) {
      this.seals.inc({ outcome: 'replayed' });
      return { record: done, created: false };
    }
    return this.withLock(dataset, async () => {
      const raced = this.store.bySealKey(request.sealKey);
      if (raced) return { record: raced, created: false };
      const open = this.store.openStats(dataset);
      if (!condition(open)) return undefined;
      if (!this.store.has(dataset)) throw new DatasetNotFoundError(dataset);
      if (open.documents === 0) throw new NothingToSealError(dataset);
      const record = await this.build(dataset, request);
      this.seals.inc({ outcome: 'sealed' });
      return { record, created: true };
    });
  }

  /** Takes an HTTP seal out of the outbox once its event is published. */
  announced(sealKey: string): void {
    this.store.markAnnounced(sealKey);
  }

  unannounced(): VersionRecord[] {
    return this.store.unannounced();
  }

  list(): DatasetSummary[] {
    return this.store.list();
  }

  manifest(dataset: string, version: number): Manifest {
    checkDatasetName(dataset);
    const record = this.store.version(dataset, version);
    if (!record) {
      if (!this.store.has(dataset)) throw new DatasetNotFoundError(dataset);
      throw new VersionNotFoundError(dataset, version);
    }
    return readManifest(record.manifestPath);
  }

  private async build(dataset: string, request: SealRequest): Promise<VersionRecord> {
    const { config } = this.options;
    const maxSeq = this.store.lastSeq(dataset);
    const totalDocuments = this.store.countUpTo(dataset, maxSeq);
    const version = this.store.nextVersion(dataset);
    const datasetId = datasetIdOf(dataset, version);
    const finalDir = join(this.datasetsDir, datasetId);
    const partialDir = `${finalDir}.partial`;
    // Neither directory is committed (no version row yet): they are a crashed attempt's left-overs.
    rmSync(partialDir, { recursive: true, force: true });
    rmSync(finalDir, { recursive: true, force: true });
    mkdirSync(partialDir, { recursive: true });
    const started = Date.now();
    this.logger.info({ dataset, datasetId, documents: totalDocuments, reason: request.reason, sealKey: request.sealKey }, 'sealing dataset');
    const progress = (p: SealProgress) => {
      this.logger.info(describeProgress(p), 'seal progress');
      this.options.onProgress?.(p);
    };
    const texts = () => textsOf(this.store.documents(dataset, maxSeq));
    const tokenizer = await resolveSealTokenizer(
      this.pinned,
      config.tokenizer,
      texts,
      datasetId,
      partialDir,
      (train) => progress({ dataset, datasetId, phase: 'train', train }),
      config.progressIntervalMs,
    );
    const createdAt = this.options.clock?.() ?? new Date();
    const { manifest, manifestSha256 } = await writeVersion({
      dataset,
      datasetId,
      dir: partialDir,
      documents: this.store.documents(dataset, maxSeq),
      totalDocuments,
      tokenizer,
      validationFraction: config.validationFraction,
      shardTokens: config.shardTokens,
      createdAt,
      onProgress: (p) => progress({ dataset, datasetId, phase: 'encode', ...p }),
      progressIntervalMs: config.progressIntervalMs,
    });
    renameSync(partialDir, finalDir);
    const manifestPath = join(finalDir, MANIFEST_FILE);
    const sealed: DatasetSealed = {
      dataset,
      datasetId,
      tokenizerId: tokenizer.id,
      manifestPath,
      manifestSha256,
      dtype: manifest.dtype,
      vocabSize: manifest.tokenizer.vocabSize,
      documents: manifest.totals.documents,
      tokens: manifest.totals.tokens,
      shards: manifest.shards,
    };
    const record: VersionRecord = { dataset, version, sealKey: request.sealKey, datasetId, manifestPath, sealed, createdAt: createdAt.toISOString() };
    this.store.commitSeal(record, maxSeq, request.outbox !== true);
    this.logger.info(
      { dataset, datasetId, tokenizerId: tokenizer.id, documents: sealed.documents, tokens: sealed.tokens, ms: Date.now() - started },
      'dataset sealed',
    );
    return record;
  }

  private withLock<T>(dataset: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(dataset) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.locks.set(dataset, settled);
    void settled.then(() => {
      if (this.locks.get(dataset) === settled) this.locks.delete(dataset);
    });
    return next;
  }
}

/** Documents counted between turns of the event loop while training (the merge phase itself cannot yield). */
const YIELD_EVERY = 256;

async function* textsOf(documents: Iterable<StagedDocument>): AsyncGenerator<string> {
  let count = 0;
  for (const document of documents) {
    yield document.text;
    if (++count % YIELD_EVERY === 0) await nextTurn();
  }
}
