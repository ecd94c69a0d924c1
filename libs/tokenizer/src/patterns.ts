/**
 * Pre-tokenisation patterns as JavaScript regexes (compiled with the `u` flag).
 *
 * tiktoken's cl100k_base and o200k_base patterns use `(?i:…)` groups and possessive
 * quantifiers (`?+`, `++`), which JavaScript lacks. Like js-tiktoken we spell the
 * case-insensitive contractions out and use greedy quantifiers: where tiktoken makes an optional
 * non-letter prefix or a letter run possessive, the next token of the pattern cannot match
 * what backtracking would give back, so greedy and possessive split alike. The strings below
 * are the ones js-tiktoken ships (a test checks equality), so ids agree with js-tiktoken and
 * with the `tiktoken` WASM package by construction (the benchmark checks ids on 12 MB).
 * Caveat: upstream tiktoken (Python/Rust) has since rewritten cl100k's whitespace alternatives
 * as `\s++$|\s*[\r\n]|\s+(?!\S)|\s`; that variant is not compared here (Python tiktoken
 * downloads its vocabularies, which this environment cannot).
 * The patterns also compile in Oniguruma (Hugging Face `tokenizers` Split): see the reference check.
 * References: openai/tiktoken tiktoken_ext/openai_public.py, dqbd/tiktoken js-tiktoken.
 */
const CONTRACTIONS = `'s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D`;

export type PatternName = 'gpt2' | 'cl100k' | 'o200k';

/** GPT-2 / r50k / p50k; also what Hugging Face's ByteLevel pre-tokenizer uses when use_regex=true. */
export const GPT2_PATTERN = `'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+`;

export const CL100K_PATTERN =
  `(${CONTRACTIONS})|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+`;

export const O200K_PATTERN = [
  `[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(${CONTRACTIONS})?`,
  `[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(${CONTRACTIONS})?`,
  `\\p{N}{1,3}`,
  ` ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*`,
  `\\s*[\\r\\n]+`,
  `\\s+(?!\\S)`,
  `\\s+`,
].join('|');

/** Number alternatives of each pattern; digit splitting replaces them by a single `\p{N}`. */
const NUMBER_ALTERNATIVE: Record<PatternName, string> = {
  gpt2: ' ?\\p{N}+',
  cl100k: '\\p{N}{1,3}',
  o200k: '\\p{N}{1,3}',
};

const PATTERNS: Record<PatternName, string> = { gpt2: GPT2_PATTERN, cl100k: CL100K_PATTERN, o200k: O200K_PATTERN };

/**
 * The pattern for a preset. `splitDigits` makes every digit its own pre-token (LLaMA-style),
 * so numbers are never merged across digits.
 */
export function patternFor(name: PatternName, options: { splitDigits?: boolean } = {}): string {
  const pattern = PATTERNS[name];
  if (options.splitDigits !== true) return pattern;
  const alternatives = pattern.split('|');
  const index = alternatives.indexOf(NUMBER_ALTERNATIVE[name]);
  // The presets are constants; a miss here is a programming error, not an input error.
  if (index < 0) throw new Error(`pattern ${name} has no number alternative`);
  alternatives[index] = '\\p{N}';
  return alternatives.join('|');
}

/** Compiles a pattern the way the encoder runs it: global and Unicode-aware. */
export function compilePattern(pattern: string): RegExp {
  return new RegExp(pattern, 'gu');
}
