/** How a sealed version is announced on `datasets.sealed`: keyed by dataset, lineage = dataset and tokenizer ids. */
import type { EmitOptions } from '@crucible/bus';
import { createHash } from 'node:crypto';
import type { VersionRecord } from '../datasets/dataset-store';

export const sealedEmitOptions = (record: VersionRecord): EmitOptions => ({
  key: record.dataset,
  lineage: { datasetId: record.datasetId, tokenizerId: record.sealed.tokenizerId },
});

/** For seals outside a handler (HTTP): the event id follows from the seal key, so a replay re-sends the same event. */
export const sealedEventId = (sealKey: string): string => createHash('sha256').update(`datasets.sealed\u0000${sealKey}`).digest('hex').slice(0, 32);
