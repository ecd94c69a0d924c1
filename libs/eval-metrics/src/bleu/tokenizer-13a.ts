/**
 * sacrebleu's default `13a` tokenizer (mteval-v13a.pl as used by WMT), transcribed from
 * sacrebleu 2.x `tokenizers/tokenizer_13a.py` and `tokenizer_re.py`: unescape a few HTML
 * entities, pad punctuation and symbols with spaces, split periods and commas except inside
 * numbers, split a dash that follows a digit, then collapse whitespace the way Python does.
 */
import { pySplit } from '../text/python-text';

// Order matters: each rule sees the previous one's output, as in sacrebleu.
const RULES: readonly [RegExp, string][] = [
  // ASCII symbols and punctuation except . , - and digits/letters: { | } ~ [ \ ] ^ _ ` space ! " # $ % & ( ) * + : ; < = > ? @ /
  [/([{-~[-`\x20-&(-+:-@\/])/g, ' $1 '],
  // period and comma unless preceded by a digit
  [/([^0-9])([.,])/g, '$1 $2 '],
  // period and comma unless followed by a digit
  [/([.,])([^0-9])/g, ' $1 $2'],
  // dash preceded by a digit
  [/([0-9])(-)/g, '$1 $2 '],
];

export function tokenize13a(line: string): string {
  let text = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (text.includes('&')) {
    text = text.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  text = ` ${text} `;
  for (const [pattern, replacement] of RULES) text = text.replace(pattern, replacement);
  return pySplit(text).join(' ');
}
