/**
 * Writes a model version's directory in one piece: weights and config in the Hugging Face
 * GPT-2 layout (so `transformers` loads it), the tokenizer as `tokenizer.json`, and the
 * lineage as `crucible.json`. Written into a sibling temp dir and renamed, so a reader never
 * sees a half-written version and a crash leaves nothing behind under the final name.
 */
import { type GptConfig, type Weights, exportHuggingFace } from '@crucible/engine';
import { type Tokenizer, saveTokenizer } from '@crucible/tokenizer';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LINEAGE_FILE, type Lineage, type LineageInput, LineageSchema } from './lineage';

export const TOKENIZER_FILE = 'tokenizer.json';

export interface ModelArtifactInput {
  readonly config: GptConfig;
  readonly weights: Weights;
  readonly tokenizer: Tokenizer;
  readonly lineage: LineageInput;
}

export async function writeModelArtifact(dir: string, input: ModelArtifactInput): Promise<Lineage> {
  const lineage = LineageSchema.parse(input.lineage);
  mkdirSync(dirname(dir), { recursive: true });
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  const eos = input.tokenizer.eotToken;
  exportHuggingFace(staging, input.config, input.weights, eos === undefined ? {} : { bos_token_id: eos, eos_token_id: eos });
  await saveTokenizer(input.tokenizer, join(staging, TOKENIZER_FILE), 'hf-json');
  writeFileSync(join(staging, LINEAGE_FILE), `${JSON.stringify(lineage, null, 2)}\n`);
  // Same version id ⇒ same content (versions are immutable): a rewrite after a crash replaces it.
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return lineage;
}
