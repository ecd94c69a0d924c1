import { describe, expect, it } from 'vitest';
import { porterStem } from './porter-stemmer';
import { rouge, rougeTokenize } from './rouge';

// The examples of Porter (1980) for each step, plus NLTK's extensions (irregular forms, 4-letter -ies).
const CASES: Record<string, string> = {
  caresses: 'caress', ponies: 'poni', ties: 'tie', cats: 'cat', feed: 'feed', agreed: 'agre', plastered: 'plaster', bled: 'bled',
  motoring: 'motor', sing: 'sing', conflated: 'conflat', troubled: 'troubl', sized: 'size', hopping: 'hop', tanned: 'tan',
  falling: 'fall', hissing: 'hiss', fizzed: 'fizz', failing: 'fail', filing: 'file', happy: 'happi', sky: 'sky',
  relational: 'relat', conditional: 'condit', rational: 'ration', digitizer: 'digit', radically: 'radic', differently: 'differ',
  vietnamization: 'vietnam', operator: 'oper', feudalism: 'feudal', decisiveness: 'decis', hopefulness: 'hope',
  sensibility: 'sensibl', triplicate: 'triplic', formative: 'form', electrical: 'electr', goodness: 'good', revival: 'reviv',
  allowance: 'allow', airliner: 'airlin', gyroscopic: 'gyroscop', adjustable: 'adjust', replacement: 'replac', adoption: 'adopt',
  communism: 'commun', effective: 'effect', bowdlerize: 'bowdler', cease: 'ceas', controll: 'control', roll: 'roll',
  dying: 'die', skies: 'sky', generalizations: 'gener', logically: 'logic', analogy: 'analog', by: 'by',
};

describe('Porter stemmer (NLTK mode)', () => {
  it.each(Object.entries(CASES))('%s → %s', (word, stem) => {
    expect(porterStem(word)).toBe(stem);
  });

  it('stems only tokens longer than 3 characters in ROUGE, so stemmed forms match', () => {
    expect(rougeTokenize('The nations were uniting; cats ran', { useStemmer: true })).toEqual(['the', 'nation', 'were', 'unit', 'cat', 'ran']);
    expect(rouge('the nation unites', 'the nations united').rouge1.fmeasure).toBeCloseTo(1 / 3, 12);
    expect(rouge('the nation unites', 'the nations united', { useStemmer: true }).rouge1.fmeasure).toBe(1);
  });
});
