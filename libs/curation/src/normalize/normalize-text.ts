/**
 * Unicode normalisation and whitespace cleanup, applied to every document before any rule
 * looks at it: NFC (or NFKC), line endings to `\n`, C0/C1 control characters removed
 * (except `\n` and `\t`), zero-width and byte-order marks removed, runs of horizontal
 * whitespace collapsed to one space, trailing spaces trimmed, blank-line runs limited.
 */

export interface NormalizeOptions {
  /** NFC keeps compatibility characters (ﬁ, ², full-width forms); NFKC folds them. */
  readonly form: 'NFC' | 'NFKC';
  /** Most consecutive empty lines kept (1 keeps paragraph breaks as one blank line). */
  readonly maxConsecutiveBlankLines: number;
  /** Remove U+200B..U+200D, U+2060 and U+FEFF, which are invisible and break word matching. */
  readonly stripZeroWidth: boolean;
}

export const NORMALIZE_DEFAULTS: NormalizeOptions = Object.freeze({
  form: 'NFC',
  maxConsecutiveBlankLines: 1,
  stripZeroWidth: true,
});

// C0 except \t (09) and \n (0A); DEL and C1. \r is handled before this runs.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u0084\u0086-\u009F]/g;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;
// Horizontal whitespace other than \t: space, NBSP, the U+2000 block, ideographic space…
const HSPACE_RUN = /[ \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;
const TRAILING = /[ \t]+$/gm;
const LEADING = /^ +/gm;

/** Returns the cleaned text (possibly empty). Pure and idempotent. */
export function normalizeText(text: string, options: NormalizeOptions = NORMALIZE_DEFAULTS): string {
  let t = text.normalize(options.form);
  // Line endings first so that \r never survives as a control character; NEL, LS and PS are line breaks too.
  t = t.replace(/\r\n?|[\u0085\u2028\u2029]/g, '\n');
  t = t.replace(CONTROLS, '');
  if (options.stripZeroWidth) t = t.replace(ZERO_WIDTH, '');
  t = t.replace(HSPACE_RUN, ' ').replace(TRAILING, '').replace(LEADING, '');
  const maxBreaks = Math.max(0, options.maxConsecutiveBlankLines) + 1;
  t = t.replace(new RegExp(`\\n{${maxBreaks + 1},}`, 'g'), '\n'.repeat(maxBreaks));
  return t.trim();
}
