/** Public entry of @crucible/curation: the cleaning filters, the pipeline and the dedup index. */
export { reject, type CurationDocument, type Rejection, type RuleVerdict } from './document';
export { CleaningConfigError, CurationError, DedupIndexError, type CurationErrorCode } from './errors';
export { htmlToText, HTML_TO_TEXT_DEFAULTS, type HtmlToTextOptions } from './html/html-to-text';
export { normalizeText, NORMALIZE_DEFAULTS, type NormalizeOptions } from './normalize/normalize-text';
export { identifyLanguage, profiledLanguages, LANGUAGE_SAMPLE_CHARS, type LanguageGuess } from './language/language-id';
export { languageFilter, LANGUAGE_FILTER_DEFAULTS, type LanguageFilterOptions } from './language/language-filter.rule';
export { gopherQuality, GOPHER_QUALITY_DEFAULTS, GOPHER_STOP_WORDS, type GopherQualityOptions } from './quality/gopher-quality.rule';
export { gopherRepetition, GOPHER_REPETITION_DEFAULTS, type GopherRepetitionOptions } from './quality/gopher-repetition.rule';
export { splitWords } from './text/words';
export { redactPii, PII_DEFAULTS, PII_KINDS, PII_PLACEHOLDERS, type PiiKind, type PiiOptions, type PiiResult } from './pii/pii-redact';
export { bandKeys, minhashSignature, MINHASH_DEFAULTS, signatureSimilarity, simplifyText, type MinHashOptions } from './dedup/minhash';
export type { DedupCheck, DedupEntry, DedupIndex, DedupMatch } from './dedup/dedup-index';
export { contentHash, dedupEntry, type DedupEntryOptions } from './dedup/dedup-entry';
export { MemoryDedupIndex } from './dedup/memory-dedup-index';
export { SqliteDedupIndex, type SqliteDedupIndexOptions } from './dedup/sqlite-dedup-index';
export { CleaningConfigSchema, parseCleaningConfig, type CleaningConfig, type CleaningConfigInput } from './pipeline/cleaning-config';
export { FilterStats, FILTER_ORDER, type FilterCounters, type FilterName } from './pipeline/filter-stats';
export { cleanDocument, type CleanResult } from './pipeline/clean-document';
