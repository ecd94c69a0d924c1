/**
 * @crucible/eval-metrics — evaluation metrics, framework-free: BLEU and chrF identical to
 * sacrebleu 2.x (with its signatures), ROUGE-1/2/L identical to rouge-score, SQuAD exact
 * match, and held-out perplexity / bits-per-byte run by ONNX Runtime.
 */
export { corpusBleu, sentenceBleu, referenceCount, type BleuOptions, type BleuScore, type BleuSmoothing } from './bleu/bleu';
export { tokenize13a } from './bleu/tokenizer-13a';
export { corpusChrf, sentenceChrf, type ChrfOptions, type ChrfScore } from './chrf/chrf';
export { rouge, rougeMulti, corpusRouge, rougeTokenize, ROUGE_TYPES, type RougeOptions, type RougeScore, type RougeScores, type RougeType } from './rouge/rouge';
export { porterStem } from './rouge/porter-stemmer';
export { exactMatch, exactMatchRate, normalizeAnswer } from './exact-match/exact-match';
export { heldOutPerplexity, HeldOutDataError, type HeldOutOptions, type HeldOutProgress, type HeldOutResult, type TokenBytes } from './perplexity/held-out';
export { SACREBLEU_VERSION } from './sacrebleu-version';
