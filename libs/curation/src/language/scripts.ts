/**
 * Writing-system detection: the share of letters in each script. Languages with their own
 * script (Greek, Hebrew, Thai, Korean…) are identified from it alone; Han/Kana, Cyrillic and
 * Arabic get a letter-based refinement (kana → Japanese, і/ї/є/ґ → Ukrainian, پ/چ/ژ/گ/ی → Persian).
 */

export type Script =
  | 'latin' | 'greek' | 'cyrillic' | 'arabic' | 'hebrew' | 'devanagari' | 'han' | 'kana' | 'hangul' | 'thai' | 'other';

export function scriptOf(c: number): Script | null {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return 'latin';
  if (c < 0xc0) return null;
  if (c <= 0x24f) return c === 0xd7 || c === 0xf7 ? null : 'latin';
  if (c >= 0x1e00 && c <= 0x1eff) return 'latin';
  if ((c >= 0x370 && c <= 0x3ff) || (c >= 0x1f00 && c <= 0x1fff)) return 'greek';
  if (c >= 0x400 && c <= 0x52f) return 'cyrillic';
  if (c >= 0x590 && c <= 0x5ff) return 'hebrew';
  if ((c >= 0x600 && c <= 0x6ff) || (c >= 0x750 && c <= 0x77f) || (c >= 0xfb50 && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfeff))
    return 'arabic';
  if (c >= 0x900 && c <= 0x97f) return 'devanagari';
  if (c >= 0xe00 && c <= 0xe7f) return 'thai';
  if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff) || (c >= 0xff66 && c <= 0xff9f)) return 'kana';
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff)) return 'han';
  if ((c >= 0xac00 && c <= 0xd7af) || (c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f)) return 'hangul';
  if (/\p{L}/u.test(String.fromCharCode(c))) return 'other';
  return null;
}

export interface ScriptProfile {
  readonly letters: number;
  readonly counts: Readonly<Partial<Record<Script, number>>>;
}

export function scriptProfile(text: string, maxChars = Infinity): ScriptProfile {
  const counts: Partial<Record<Script, number>> = {};
  let letters = 0;
  const end = Math.min(text.length, maxChars);
  for (let i = 0; i < end; i++) {
    const s = scriptOf(text.charCodeAt(i));
    if (s === null) continue;
    letters++;
    counts[s] = (counts[s] ?? 0) + 1;
  }
  return { letters, counts };
}

const countMatches = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;

/** Language of a non-Latin script, from the script and a few distinctive letters. */
export function languageOfScript(script: Script, sample: string, profile: ScriptProfile): string {
  switch (script) {
    case 'han':
    case 'kana':
      return (profile.counts.kana ?? 0) > 0.05 * ((profile.counts.han ?? 0) + (profile.counts.kana ?? 0)) ? 'ja' : 'zh';
    case 'hangul':
      return 'ko';
    case 'cyrillic':
      return countMatches(sample, /[іїєґІЇЄҐ]/g) > 0.01 * (profile.counts.cyrillic ?? 0) ? 'uk' : 'ru';
    case 'arabic':
      return countMatches(sample, /[پچژگی]/g) > 0.02 * (profile.counts.arabic ?? 0) ? 'fa' : 'ar';
    case 'greek':
      return 'el';
    case 'hebrew':
      return 'he';
    case 'devanagari':
      return 'hi';
    case 'thai':
      return 'th';
    default:
      return 'unknown';
  }
}
