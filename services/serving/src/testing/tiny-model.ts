/**
 * A tiny random-weight model with a real trained BPE tokenizer, for unit tests of the
 * scheduler: the engine's `tiny` preset with the tokenizer's vocabulary.
 */
import { Generator, initWeights, presets } from '@crucible/engine';
import { type Tokenizer, trainBpe } from '@crucible/tokenizer';

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
