/**
 * Distinct, realistic documents for tokenization tests: prose with repeated vocabulary (so a
 * small BPE vocabulary has something to learn), digits, punctuation and a little non-ASCII.
 */
import { createHash } from 'node:crypto';

const PARAGRAPHS = [
  'The river had risen through the night, and by morning the lower fields were under water. Farmers walked along the embankment, counting the cattle that had been moved to higher ground.',
  'Modern compilers translate source code through several intermediate representations before they emit machine instructions. Each representation makes some optimisations easier.',
  'She opened the letter at the kitchen table, where the light was best, and read it twice before she said anything. Her brother had written from the coast.',
  'A good library is more than a collection of books. It is a place where a student can follow a question from one shelf to another.',
  'In 1887 the bridge carried 4,200 carts a day; by 1925 it carried 31,000 motor cars, and the council voted to widen it by 12 metres.',
  'The café on the corner serves crème brûlée on Fridays — a naïve visitor might think it is the only thing on the menu.',
  'Bread dough rises because yeast turns sugar into carbon dioxide. Warm water speeds the process; salt slows it down.',
  'Weather stations record temperature, pressure and humidity every ten minutes, and the readings are sent to the regional office at noon.',
];

const TOPICS = ['harbour', 'orchard', 'railway', 'museum', 'market', 'glacier', 'lighthouse', 'vineyard', 'observatory', 'workshop'];

/** The i-th sample document: a paragraph plus a sentence only it has. */
export const sampleText = (i: number, run = ''): string =>
  `${PARAGRAPHS[i % PARAGRAPHS.length]} Note ${i}${run && ` of ${run}`}: the ${TOPICS[i % TOPICS.length]} was visited ${(i * 7) % 23} times in ${1900 + i}.`;

export const documentIdOf = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** A `documents.cleaned` payload for `text`, optionally routed to a dataset through metadata. */
export function cleanedPayload(text: string, metadata: Record<string, unknown> = {}) {
  return {
    documentId: documentIdOf(text),
    text,
    language: 'en',
    languageScore: 0.98,
    redactions: {},
    source: { kind: 'http' as const },
    metadata,
    chars: text.length,
  };
}
