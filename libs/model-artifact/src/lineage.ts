/**
 * `crucible.json`: where a model version came from. Written once by training next to the
 * weights; evaluation, safety, serving and the CLI read it to find the held-out data, the
 * tokenizer and the chat template without asking the registry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ChatTemplateSchema, DEFAULT_CHAT_TEMPLATE } from './chat-template';
import { ArtifactError } from './artifact.errors';

export const LINEAGE_FILE = 'crucible.json';
export const LINEAGE_FORMAT = 'crucible.model-artifact';

export const LineageSchema = z
  .object({
    format: z.literal(LINEAGE_FORMAT).default(LINEAGE_FORMAT),
    versionId: z.string().min(1),
    model: z.string().min(1),
    runId: z.string().min(1),
    datasetId: z.string().min(1),
    /** Absolute path of the dataset manifest: its validation split is the held-out set. */
    manifestPath: z.string().optional(),
    manifestSha256: z.string().optional(),
    tokenizerId: z.string().min(1),
    codeVersion: z.string().default('unknown'),
    hyperParameters: z.record(z.string(), z.unknown()).default({}),
    parameters: z.number().int().nonnegative(),
    finalLoss: z.number().optional(),
    validationLoss: z.number().optional(),
    createdAt: z.string().default(() => new Date().toISOString()),
    chatTemplate: ChatTemplateSchema.default(DEFAULT_CHAT_TEMPLATE),
  })
  .strict();
export type Lineage = z.output<typeof LineageSchema>;
export type LineageInput = z.input<typeof LineageSchema>;

export function readModelLineage(dir: string): Lineage {
  const path = join(dir, LINEAGE_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ArtifactError('artifact_unreadable', `${path}: ${(error as Error).message}`);
  }
  const parsed = LineageSchema.safeParse(raw);
  if (!parsed.success) throw new ArtifactError('artifact_invalid', `${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
