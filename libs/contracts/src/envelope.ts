/**
 * The envelope every message on the bus carries (CloudEvents-like): who sent what, when,
 * for which key, and the lineage that ties a served model back to the documents it saw.
 */
import { z } from 'zod';

/** Ids that connect an event to everything upstream of it; each stage adds its own. */
export const LineageSchema = z
  .object({
    /** The flow this event belongs to, carried unchanged from the first event. */
    correlationId: z.string().min(1).optional(),
    /** The id of the event that caused this one. */
    causationId: z.string().min(1).optional(),
    documentId: z.string().min(1).optional(),
    datasetId: z.string().min(1).optional(),
    tokenizerId: z.string().min(1).optional(),
    runId: z.string().min(1).optional(),
    modelVersionId: z.string().min(1).optional(),
  })
  .strict();
export type Lineage = z.infer<typeof LineageSchema>;

export const EnvelopeSchema = z
  .object({
    id: z.string().min(1).max(200),
    type: z.string().min(1),
    version: z.number().int().positive(),
    time: z.iso.datetime({ offset: true }),
    source: z.string().min(1),
    key: z.string().min(1).max(1000),
    lineage: LineageSchema.default({}),
    payload: z.unknown(),
  })
  .strict();

export interface Envelope<P = unknown> {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly time: string;
  readonly source: string;
  readonly key: string;
  readonly lineage: Lineage;
  readonly payload: P;
}
