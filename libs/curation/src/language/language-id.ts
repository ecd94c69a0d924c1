/**
 * Language identification without a model download. The writing system decides first
 * (scripts.ts); Latin-script text is scored against character-trigram profiles of 28
 * languages (every trigram of each language's UDHR text, built by
 * scripts/build-language-profiles.ts) with a smoothed naive-Bayes log-likelihood. The score in [0,1] is a softmax over languages whose evidence is capped
 * at `EVIDENCE_CAP` trigrams (so long documents do not become infinitely certain), times
 * the share of letters in the winning script, times a coverage factor that is low for text
 * that looks like no profiled language (identifiers, gibberish, unprofiled languages).
 */
import profilesJson from './language-profiles.json';
import { languageOfScript, scriptProfile, type Script } from './scripts';
import { countTrigrams, trigramKey } from './trigrams';

export interface LanguageGuess {
  /** ISO 639-1 code, or `unknown` when the text has no letters. */
  readonly language: string;
  readonly score: number;
}

/** Characters read from the start of a document: enough evidence, bounded cost. */
export const LANGUAGE_SAMPLE_CHARS = 2000;
const EVIDENCE_CAP = 25;
// Classification uses every trigram of a profile; the plausibility check uses the most
// frequent ones only: real prose has most of its trigram tokens among its language's top 400
// (SOTU paragraphs: well above this share), code and gibberish far fewer, so below
// EXPECTED_COVERAGE the score is scaled down.
const CORE_TRIGRAMS = 400;
const EXPECTED_COVERAGE = 0.55;

interface Table {
  readonly languages: readonly string[];
  /** trigram key → row index into `weights` (row-major, one column per language). */
  readonly rowOf: ReadonlyMap<number, number>;
  readonly weights: Float64Array;
  readonly floors: Float64Array;
  /** 1 where the trigram is among the language's CORE_TRIGRAMS most frequent (same layout as weights). */
  readonly core: Uint8Array;
}

let table: Table | undefined;

function loadTable(): Table {
  if (table) return table;
  const { profiles, unseen } = profilesJson as { profiles: Record<string, Record<string, number>>; unseen: Record<string, number> };
  const languages = Object.keys(profiles);
  const nl = languages.length;
  // An absent trigram gets the smoothed probability of half an occurrence (see the build script).
  const floors = Float64Array.from(languages, (lang) => unseen[lang]!);
  const rowOf = new Map<number, number>();
  for (const lang of languages) for (const g of Object.keys(profiles[lang]!)) if (!rowOf.has(trigramKey(g))) rowOf.set(trigramKey(g), rowOf.size);
  const weights = new Float64Array(rowOf.size * nl);
  for (let r = 0; r < rowOf.size; r++) weights.set(floors, r * nl);
  const core = new Uint8Array(rowOf.size * nl);
  languages.forEach((lang, l) => {
    // Profiles are stored most frequent first.
    Object.entries(profiles[lang]!).forEach(([g, lp], rank) => {
      const cell = rowOf.get(trigramKey(g))! * nl + l;
      weights[cell] = lp;
      if (rank < CORE_TRIGRAMS) core[cell] = 1;
    });
  });
  table = { languages, rowOf, weights, floors, core };
  return table;
}

/** Languages the trigram model can name (the script-based ones are added by `identifyLanguage`). */
export const profiledLanguages = (): readonly string[] => loadTable().languages;

function identifyLatin(sample: string): { language: string; probability: number; coverage: number } {
  const { languages, rowOf, weights, floors, core } = loadTable();
  const nl = languages.length;
  const ll = new Float64Array(nl);
  const counts = countTrigrams(sample);
  let total = 0;
  let unknown = 0;
  for (const [g, c] of counts) {
    total += c;
    const r = rowOf.get(g);
    if (r === undefined) {
      unknown += c;
      continue;
    }
    const base = r * nl;
    for (let l = 0; l < nl; l++) ll[l]! += c * weights[base + l]!;
  }
  if (total === 0) return { language: 'unknown', probability: 0, coverage: 0 };
  for (let l = 0; l < nl; l++) ll[l]! += unknown * floors[l]!;
  const scale = Math.min(total, EVIDENCE_CAP) / total;
  let best = 0;
  for (let l = 1; l < nl; l++) if (ll[l]! > ll[best]!) best = l;
  let z = 0;
  for (let l = 0; l < nl; l++) z += Math.exp((ll[l]! - ll[best]!) * scale);
  // Coverage of the winner only: the share of trigram tokens among its most frequent ones.
  let hits = 0;
  for (const [g, c] of counts) {
    const r = rowOf.get(g);
    if (r !== undefined && core[r * nl + best] === 1) hits += c;
  }
  return { language: languages[best]!, probability: 1 / z, coverage: hits / total };
}

/** Identifies the language of `text` from its first `LANGUAGE_SAMPLE_CHARS` characters. */
export function identifyLanguage(text: string): LanguageGuess {
  const sample = text.length > LANGUAGE_SAMPLE_CHARS ? text.slice(0, LANGUAGE_SAMPLE_CHARS) : text;
  const profile = scriptProfile(sample);
  if (profile.letters === 0) return { language: 'unknown', score: 0 };
  let top: Script = 'other';
  let topCount = 0;
  for (const [s, n] of Object.entries(profile.counts) as [Script, number][]) {
    if (n > topCount) {
      top = s;
      topCount = n;
    }
  }
  // Japanese mixes kanji and kana: count them together.
  const cjk = (profile.counts.han ?? 0) + (profile.counts.kana ?? 0);
  if ((top === 'han' || top === 'kana') && cjk > topCount) topCount = cjk;
  const share = topCount / profile.letters;
  if (top !== 'latin') return { language: languageOfScript(top, sample, profile), score: round(share) };
  const { language, probability, coverage } = identifyLatin(sample);
  return { language, score: round(probability * share * Math.min(1, coverage / EXPECTED_COVERAGE)) };
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;
