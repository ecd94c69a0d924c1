/**
 * The model's training documents as text, for the training-data leakage suite: the dataset
 * manifest named in crucible.json, its train shards, decoded with the model's tokenizer. Never
 * throws: a missing or unreadable dataset becomes a note in the report (and zero probes).
 */
import type { TextModel } from '@crucible/model-artifact';
import { documentsOf, readManifest, readShardFile } from '@crucible/shards';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';

export function trainingDocuments(model: TextModel, maxDocuments: number): { documents: string[]; unavailable?: string } {
  const manifestPath = model.lineage.manifestPath;
  if (!manifestPath) return { documents: [], unavailable: 'crucible.json names no dataset manifest' };
  if (!existsSync(manifestPath)) return { documents: [], unavailable: `dataset manifest ${manifestPath} does not exist` };
  try {
    const manifest = readManifest(manifestPath);
    if (manifest.tokenizer.id !== model.lineage.tokenizerId) {
      return { documents: [], unavailable: `dataset tokenizer ${manifest.tokenizer.id} is not the model's ${model.lineage.tokenizerId}` };
    }
    const documents: string[] = [];
    for (const shard of manifest.shards.filter((s) => s.split === 'train')) {
      const path = isAbsolute(shard.path) ? shard.path : join(dirname(manifestPath), shard.path);
      for (const doc of documentsOf(readShardFile(path))) {
        if (documents.length >= maxDocuments) return { documents };
        documents.push(model.decode(doc));
      }
    }
    return { documents };
  } catch (error) {
    return { documents: [], unavailable: `training data unreadable: ${(error as Error).message}` };
  }
}
