/**
 * The dataset manifest: what a sealed dataset contains and where it came from. The trainer
 * reads it to find shards; the registry stores its hash as lineage.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const MANIFEST_FORMAT = 'crucible.dataset-manifest';
export const MANIFEST_VERSION = 1;

export const ManifestSchema = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    formatVersion: z.literal(MANIFEST_VERSION),
    dataset: z.string(),
    datasetId: z.string(),
    createdAt: z.string(),
    tokenizer: z.object({ id: z.string(), path: z.string(), vocabSize: z.number().int().positive(), eotToken: z.number().int() }),
    dtype: z.enum(['uint16', 'uint32']),
    shards: z.array(
      z.object({
        split: z.enum(['train', 'validation']),
        /** Relative to the manifest's directory. */
        path: z.string(),
        tokens: z.number().int().nonnegative(),
        documents: z.number().int().nonnegative(),
        sha256: z.string(),
      }),
    ),
    totals: z.object({
      documents: z.number().int().nonnegative(),
      tokens: z.object({ train: z.number().int().nonnegative(), validation: z.number().int().nonnegative() }),
    }),
    /** Content-hash ids of every document in the dataset, for lineage and decontamination. */
    documentIds: z.array(z.string()).optional(),
    validationFraction: z.number().min(0).max(1),
  })
  .strict();
export type Manifest = z.infer<typeof ManifestSchema>;

export function readManifest(path: string): Manifest {
  const parsed = ManifestSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`invalid dataset manifest ${path}: ${parsed.error.message}`);
  return parsed.data;
}
