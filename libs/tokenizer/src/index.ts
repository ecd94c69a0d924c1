/**
 * @crucible/tokenizer — byte-level BPE: encoder with offsets, decoder, special tokens,
 * trainer, and the tokenizer.json / tiktoken file formats. Framework-free.
 */
export { BpeModel, type Merge, type MergeRule } from './bpe-model';
export { getEncoding, type EncodingName } from './encodings';
export { CL100K_PATTERN, GPT2_PATTERN, O200K_PATTERN, patternFor, type PatternName } from './patterns';
export type { SpecialSelection } from './special-tokens';
export { Tokenizer, type EncodeOptions, type EncodingWithOffsets, type TokenizerInit } from './tokenizer';
export { DecodeKeyError, DisallowedSpecialTokenError, TokenizerConfigError, TokenizerFormatError } from './tokenizer.errors';
