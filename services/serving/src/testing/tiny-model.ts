/**
 * A tiny random-weight model with a real trained BPE tokenizer, for unit tests of the
 * scheduler: the engine's `tiny` preset with the tokenizer's vocabulary.
 */
import { Generator, initWeights, presets } from '@crucible/engine';
import { writeModelArtifact } from '@crucible/model-artifact';
import { type Tokenizer, trainBpe } from '@crucible/tokenizer';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CORPUS = [
  'The state of the union is strong, and the people are stronger still.',
  'We hold these truths to be self-evident, that all men are created equal.',
  'Four score and seven years ago our fathers brought forth on this continent a new nation.',
];

export async function tinyTokenizer(): Promise<Tokenizer> {
  return trainBpe(CORPUS, { vocabSize: 300, minFrequency: 1 });
}

export async function tinyGenerator(tokenizer: Tokenizer, seed = 7): Promise<Generator> {
  const config = { ...presets.tiny, vocabSize: tokenizer.vocabSize };
  return Generator.fromWeights(config, initWeights(config, seed), { threads: 1 });
}

/** The same model as an artifact directory `<tmp>/tiny/1` (what the engine thread loads), with its in-thread generator. */
export async function tinyModelDir(seed = 7): Promise<{ tokenizer: Tokenizer; generator: Generator; modelDir: string; remove(): Promise<void> }> {
  const tokenizer = await tinyTokenizer();
  const generator = await tinyGenerator(tokenizer, seed);
  const root = mkdtempSync(join(tmpdir(), 'tiny-model-'));
  const modelDir = join(root, 'tiny', '1');
  const config = { ...presets.tiny, vocabSize: tokenizer.vocabSize };
  await writeModelArtifact(modelDir, {
    config,
    weights: initWeights(config, seed),
    tokenizer,
    lineage: { versionId: 'tiny@1', model: 'tiny', runId: 'run', datasetId: 'd@1', tokenizerId: 'bpe', parameters: 1 },
  });
  return {
    tokenizer,
    generator,
    modelDir,
    remove: async () => {
      await generator.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
