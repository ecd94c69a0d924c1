/**
 * @crucible/tokenizer — byte-level BPE: encoder with offsets, decoder, special tokens,
 * trainer, and the tokenizer.json / tiktoken / crucible file formats. Framework-free.
 */
export { BpeModel, type Merge, type MergeRule } from './bpe-model';
export { learnMerges, trainBpe, trainBpeDetailed, type TrainBpeOptions, type TrainProgress, type TrainResult } from './bpe-trainer';
export { CRUCIBLE_FORMAT, CRUCIBLE_FORMAT_VERSION } from './crucible-format';
export { getEncoding, type EncodingName } from './encodings';
export { HF_FILE_VERSION, toHfJson, fromHfJson } from './hf-json-format';
export { CL100K_PATTERN, GPT2_PATTERN, O200K_PATTERN, patternFor, type PatternName } from './patterns';
export { PreTokenCounter, type PreTokenCounterOptions, type PreTokenCounterStats } from './pretoken-counter';
export type { SpecialSelection } from './special-tokens';
export { fromTiktokenRanks, parseTiktokenRanks, toTiktokenRanks, TIKTOKEN_META_FORMAT, TIKTOKEN_META_VERSION } from './tiktoken-format';
export { formatTrainProgress } from './train-progress';
export { Tokenizer, type EncodeOptions, type EncodingWithOffsets, type TokenizerInit } from './tokenizer';
export { loadTokenizer, saveTokenizer, tiktokenMetaPath, type LoadTokenizerOptions, type TokenizerFileFormat } from './tokenizer-io';
export { DecodeKeyError, DisallowedSpecialTokenError, TokenizerConfigError, TokenizerFormatError } from './tokenizer.errors';
