import { describe, expect, it } from 'vitest';
import { MemoryDedupIndex } from '../dedup/memory-dedup-index';
import { CleaningConfigError } from '../errors';
import { parseCleaningConfig } from './cleaning-config';
import { cleanDocument } from './clean-document';
import { FilterStats } from './filter-stats';

const PROSE = [
  'The committee met on Tuesday to review the budget for the coming year. Members agreed that the library should have',
  'longer opening hours, and that the new reading room will be finished with the help of volunteers from the town.',
  '',
  'After a long discussion about the cost of heating, the chair proposed to compare offers from three suppliers and to',
  'report back to the members at the next meeting, which will be held in the old school building. Questions may be sent',
  'to clerk@townhall.example.org before Friday.',
].join('\n');
const FRENCH =
  "Le comité s'est réuni mardi pour examiner le budget de l'année prochaine. Les membres ont convenu que la bibliothèque " +
  "devrait avoir des horaires d'ouverture plus longs et que la nouvelle salle de lecture sera terminée avec l'aide de " +
  'bénévoles de la ville. Après une longue discussion sur le coût du chauffage, la présidente a proposé de comparer les ' +
  'offres de trois fournisseurs et de faire rapport aux membres lors de la prochaine réunion.';

const doc = (id: string, text: string, mediaType?: string) => ({ id, text, metadata: { source: 'test' }, ...(mediaType ? { mediaType } : {}) });

describe('cleanDocument', () => {
  it('cleans a good English document: normalised, PII redacted, indexed', async () => {
    const stats = new FilterStats();
    const index = new MemoryDedupIndex();
    const r = await cleanDocument(doc('a', `\ufeff${PROSE.replace(/\n/g, '\r\n')}  `), parseCleaningConfig(), index, stats);
    expect(r.kind).toBe('cleaned');
    if (r.kind !== 'cleaned') return;
    expect(r.language).toBe('en');
    expect(r.languageScore).toBeGreaterThan(0.65);
    expect(r.redactions.email).toBe(1);
    expect(r.doc.text).toContain('sent\nto <EMAIL> before Friday.');
    expect(r.doc.text).not.toContain('\r');
    expect(r.doc.metadata).toEqual({ source: 'test' });
    expect(await index.has('a')).toBe(true);
    expect(stats.snapshot()).toMatchObject({
      normalize: { seen: 1, kept: 1, modified: 1 },
      language: { seen: 1, kept: 1 },
      gopher_quality: { kept: 1 },
      gopher_repetition: { kept: 1 },
      pii: { kept: 1, modified: 1 },
      exact_dedup: { kept: 1 },
      near_dedup: { kept: 1 },
    });
  });

  it('extracts text from HTML documents first', async () => {
    const html = `<html><body><nav><a href="/">Home</a></nav><article>${PROSE.split('\n\n')
      .map((p) => `<p>${p}</p>`)
      .join('')}</article><footer>© Town</footer></body></html>`;
    const r = await cleanDocument(doc('h', html, 'text/html'), parseCleaningConfig(), null);
    expect(r.kind).toBe('cleaned');
    if (r.kind === 'cleaned') {
      expect(r.doc.text.startsWith('The committee met')).toBe(true);
      expect(r.doc.text).not.toMatch(/Home|©/);
      expect(r.doc.mediaType).toBe('text/plain');
    }
  });

  it('rejects with the filter, reason and details, and counts per filter', async () => {
    const stats = new FilterStats();
    const config = parseCleaningConfig();
    const index = new MemoryDedupIndex();
    const fr = await cleanDocument(doc('fr', FRENCH), config, index, stats);
    expect(fr).toMatchObject({ kind: 'rejected', filter: 'language', reason: 'language_not_allowed', details: { language: 'fr' } });
    const short = await cleanDocument(doc('s', 'The budget of the town was approved today.'), config, index, stats);
    expect(short).toMatchObject({ kind: 'rejected', filter: 'gopher_quality', reason: 'gopher_short_doc' });
    const rep = await cleanDocument(doc('r', `${PROSE}\n\n${PROSE}\n\n${PROSE}`), config, index, stats);
    expect(rep).toMatchObject({ kind: 'rejected', filter: 'gopher_repetition', reason: 'dup_para_frac' });
    const empty = await cleanDocument(doc('e', ' \u0000\n\t'), config, index, stats);
    expect(empty).toMatchObject({ kind: 'rejected', filter: 'normalize', reason: 'empty_text' });
    expect(stats.snapshot()).toMatchObject({
      normalize: { seen: 4, kept: 3, removed: 1 },
      language: { seen: 3, kept: 2, removed: 1, reasons: { language_not_allowed: 1 } },
      gopher_quality: { seen: 2, kept: 1, removed: 1, reasons: { gopher_short_doc: 1 } },
      gopher_repetition: { seen: 1, kept: 0, removed: 1, reasons: { dup_para_frac: 1 } },
    });
    expect(await index.size()).toBe(0);
  });

  it('deduplicates only against kept documents and keeps redeliveries', async () => {
    const config = parseCleaningConfig();
    const index = new MemoryDedupIndex();
    const stats = new FilterStats();
    expect((await cleanDocument(doc('a', PROSE), config, index, stats)).kind).toBe('cleaned');
    // At-least-once delivery: the same id again is kept, not a duplicate of itself.
    expect((await cleanDocument(doc('a', PROSE), config, index, stats)).kind).toBe('cleaned');
    expect(await cleanDocument(doc('b', PROSE), config, index, stats)).toMatchObject({
      kind: 'rejected',
      filter: 'exact_dedup',
      details: { duplicateOf: 'a' },
    });
    const edited = PROSE.replace('Tuesday', 'Wednesday');
    expect(await cleanDocument(doc('c', edited), config, index, stats)).toMatchObject({
      kind: 'rejected',
      filter: 'near_dedup',
      details: { duplicateOf: 'a' },
    });
    expect(stats.snapshot()).toMatchObject({ exact_dedup: { seen: 4, removed: 1 }, near_dedup: { seen: 3, removed: 1 } });
  });

  it('follows the config: other languages, disabled filters', async () => {
    const config = parseCleaningConfig({
      language: { allowed: ['en', 'fr'], thresholds: { fr: 0.8 } },
      pii: { enabled: false },
    });
    expect(config.language.thresholds).toEqual({ en: 0.65, fr: 0.8 });
    // French is kept: the English-tuned Gopher rules apply to English documents only by default.
    const fr = await cleanDocument(doc('fr', FRENCH), config, null);
    expect(fr).toMatchObject({ kind: 'cleaned', language: 'fr' });
    const everywhere = parseCleaningConfig({ language: { allowed: ['en', 'fr'] }, gopherQuality: { languages: [] } });
    expect(await cleanDocument(doc('fr', FRENCH), everywhere, null)).toMatchObject({
      kind: 'rejected',
      filter: 'gopher_quality',
      reason: 'gopher_enough_stop_words',
    });
    const en = await cleanDocument(doc('en', PROSE), config, null);
    expect(en.kind === 'cleaned' && en.doc.text).toContain('clerk@townhall.example.org');
  });
});

describe('parseCleaningConfig', () => {
  it('fills every default', () => {
    const c = parseCleaningConfig({});
    expect(c.language).toEqual({ enabled: true, allowed: ['en'], thresholds: { en: 0.65 }, defaultThreshold: 0.5 });
    expect(c.gopherQuality.minDocWords).toBe(50);
    expect(c.gopherRepetition.dupNGrams[0]).toEqual([5, 0.15]);
    expect(c.dedup).toMatchObject({ ngram: 5, bands: 14, rows: 8, minSimilarity: 0.7 });
  });

  it('lists every problem in one error', () => {
    try {
      parseCleaningConfig({ language: { thresholds: { en: 2 } }, dedup: { bands: 0 }, bogus: true });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CleaningConfigError);
      const issues = (e as CleaningConfigError).issues.join('\n');
      expect(issues).toMatch(/language\.thresholds\.en/);
      expect(issues).toMatch(/dedup\.bands/);
      expect(issues).toMatch(/bogus/);
      expect((e as CleaningConfigError).retriable).toBe(false);
    }
  });
});
