/** Payloads of the dataset topics: a dataset is sealed into token shards plus a manifest. */
import { z } from 'zod';

export const DatasetSealRequestedSchema = z
  .object({
    dataset: z.string().min(1),
    reason: z.string().default('manual'),
  })
  .strict();
export type DatasetSealRequested = z.infer<typeof DatasetSealRequestedSchema>;

export const ShardRefSchema = z
  .object({
    split: z.enum(['train', 'validation']),
    path: z.string(),
    tokens: z.number().int().nonnegative(),
    documents: z.number().int().nonnegative(),
    sha256: z.string(),
  })
  .strict();

export const DatasetSealedSchema = z
  .object({
    dataset: z.string(),
    /** `<dataset>@<n>`: each seal is a new immutable version. */
    datasetId: z.string(),
    tokenizerId: z.string(),
    manifestPath: z.string(),
    manifestSha256: z.string(),
    dtype: z.enum(['uint16', 'uint32']),
    vocabSize: z.number().int().positive(),
    documents: z.number().int().nonnegative(),
    tokens: z.object({ train: z.number().int().nonnegative(), validation: z.number().int().nonnegative() }),
    shards: z.array(ShardRefSchema),
  })
  .strict();
export type DatasetSealed = z.infer<typeof DatasetSealedSchema>;
