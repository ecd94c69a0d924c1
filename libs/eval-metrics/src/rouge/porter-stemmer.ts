/**
 * The Porter stemmer exactly as NLTK's `PorterStemmer()` (default NLTK_EXTENSIONS mode) runs
 * it, which is what rouge-score uses for `use_stemmer=True`: Porter's 1980 steps 1a–5b plus
 * NLTK's irregular forms (`dying` → `die`, …), its `ies`/`ied` rules for four-letter words,
 * the `alli`, `fulli` and `logi` step-2 rules, and words of ≤2 letters left alone. Transcribed
 * from nltk/stem/porter.py; checked word by word against NLTK in e2e/eval-reference.
 */
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

const IRREGULAR: Readonly<Record<string, readonly string[]>> = {
  sky: ['sky', 'skies'],
  die: ['dying'],
  lie: ['lying'],
  tie: ['tying'],
  news: ['news'],
  inning: ['innings', 'inning'],
  outing: ['outings', 'outing'],
  canning: ['cannings', 'canning'],
  howe: ['howe'],
  proceed: ['proceed'],
  exceed: ['exceed'],
  succeed: ['succeed'],
};
const POOL = new Map(Object.entries(IRREGULAR).flatMap(([stem, forms]) => forms.map((f) => [f, stem] as const)));

/** NLTK's `_is_consonant`: a `y` is a consonant unless an odd run of y's ends on a consonant before it. */
function isConsonant(word: string, index: number): boolean {
  let i = index;
  if (VOWELS.has(word[i]!)) return false;
  if (word[i] === 'y') {
    let negate = false;
    while (i > 0 && word[i] === 'y') {
      negate = !negate;
      i--;
    }
    return !VOWELS.has(word[i]!) !== negate;
  }
  return true;
}

/** NLTK's `_consonant_flags` (used by the measure): `y` is a consonant first, else the opposite of its predecessor. */
function consonantFlags(word: string): boolean[] {
  const flags: boolean[] = [];
  for (let i = 0; i < word.length; i++) {
    const ch = word[i]!;
    if (VOWELS.has(ch)) flags.push(false);
    else if (ch === 'y') flags.push(i === 0 ? true : !flags[i - 1]);
    else flags.push(true);
  }
  return flags;
}

/** m in [C](VC)^m[V]: the number of vowel→consonant transitions. */
function measure(stem: string): number {
  const flags = consonantFlags(stem);
  let m = 0;
  for (let i = 1; i < flags.length; i++) if (!flags[i - 1] && flags[i]) m++;
  return m;
}

const positiveMeasure = (stem: string): boolean => measure(stem) > 0;
const containsVowel = (stem: string): boolean => !consonantFlags(stem).every(Boolean);
const endsDoubleConsonant = (word: string): boolean => word.length >= 2 && word.at(-1) === word.at(-2) && isConsonant(word, word.length - 1);

function endsCvc(word: string): boolean {
  const n = word.length;
  return (
    (n >= 3 && isConsonant(word, n - 3) && !isConsonant(word, n - 2) && isConsonant(word, n - 1) && !['w', 'x', 'y'].includes(word.at(-1)!)) ||
    (n === 2 && !isConsonant(word, 0) && isConsonant(word, 1))
  );
}

type Rule = readonly [suffix: string, replacement: string, condition?: (stem: string) => boolean];

/** The first rule whose suffix matches decides: replaced when its condition holds, else the word stays. */
function applyRules(word: string, rules: readonly Rule[]): string {
  for (const [suffix, replacement, condition] of rules) {
    if (suffix === '*d' && endsDoubleConsonant(word)) {
      const stem = word.slice(0, -2);
      return !condition || condition(stem) ? stem + replacement : word;
    }
    if (suffix !== '*d' && word.endsWith(suffix)) {
      const stem = suffix === '' ? word : word.slice(0, -suffix.length);
      return !condition || condition(stem) ? stem + replacement : word;
    }
  }
  return word;
}

function step1a(word: string): string {
  if (word.endsWith('ies') && word.length === 4) return `${word.slice(0, -3)}ie`;
  return applyRules(word, [['sses', 'ss'], ['ies', 'i'], ['ss', 'ss'], ['s', '']]);
}

function step1b(word: string): string {
  if (word.endsWith('ied')) return word.length === 4 ? `${word.slice(0, -3)}ie` : `${word.slice(0, -3)}i`;
  if (word.endsWith('eed')) {
    const stem = word.slice(0, -3);
    return measure(stem) > 0 ? `${stem}ee` : word;
  }
  let intermediate: string | undefined;
  for (const suffix of ['ed', 'ing']) {
    if (word.endsWith(suffix) && containsVowel(word.slice(0, -suffix.length))) {
      intermediate = word.slice(0, -suffix.length);
      break;
    }
  }
  if (intermediate === undefined) return word;
  const last = intermediate.at(-1)!;
  return applyRules(intermediate, [
    ['at', 'ate'],
    ['bl', 'ble'],
    ['iz', 'ize'],
    ['*d', last, () => !['l', 's', 'z'].includes(last)],
    ['', 'e', (stem) => measure(stem) === 1 && endsCvc(stem)],
  ]);
}

const step1c = (word: string): string => applyRules(word, [['y', 'i', (stem) => stem.length > 1 && isConsonant(stem, stem.length - 1)]]);

function step2(word: string): string {
  if (word.endsWith('alli') && positiveMeasure(word.slice(0, -4))) return step2(`${word.slice(0, -4)}al`);
  const rules: [string, string][] = [
    ['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['izer', 'ize'], ['bli', 'ble'],
    ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous'], ['ization', 'ize'], ['ation', 'ate'],
    ['ator', 'ate'], ['alism', 'al'], ['iveness', 'ive'], ['fulness', 'ful'], ['ousness', 'ous'], ['aliti', 'al'],
    ['iviti', 'ive'], ['biliti', 'ble'], ['fulli', 'ful'],
  ];
  return applyRules(word, [...rules.map(([s, r]): Rule => [s, r, positiveMeasure]), ['logi', 'log', () => positiveMeasure(word.slice(0, -3))]]);
}

const step3 = (word: string): string =>
  applyRules(word, [['icate', 'ic'], ['ative', ''], ['alize', 'al'], ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''], ['ness', '']].map(([s, r]): Rule => [s!, r!, positiveMeasure]));

function step4(word: string): string {
  const m1 = (stem: string) => measure(stem) > 1;
  const suffixes = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent'];
  return applyRules(word, [
    ...suffixes.map((s): Rule => [s, '', m1]),
    ['ion', '', (stem) => measure(stem) > 1 && (stem.at(-1) === 's' || stem.at(-1) === 't')],
    ...['ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize'].map((s): Rule => [s, '', m1]),
  ]);
}

function step5a(word: string): string {
  if (!word.endsWith('e')) return word;
  const stem = word.slice(0, -1);
  const m = measure(stem);
  return m > 1 || (m === 1 && !endsCvc(stem)) ? stem : word;
}

const step5b = (word: string): string => applyRules(word, [['ll', 'l', () => measure(word.slice(0, -1)) > 1]]);

/** NLTK `PorterStemmer().stem(word)` (lowercases first). */
export function porterStem(word: string): string {
  const lower = word.toLowerCase();
  const irregular = POOL.get(lower);
  if (irregular !== undefined) return irregular;
  if (word.length <= 2) return lower;
  return step5b(step5a(step4(step3(step2(step1c(step1b(step1a(lower))))))));
}
