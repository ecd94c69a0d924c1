import { describe, expect, it } from 'vitest';
import { GOPHER_QUALITY_DEFAULTS, gopherQuality } from './gopher-quality.rule';

const PROSE =
  'The committee met on Tuesday to review the budget for the coming year. Members agreed that the ' +
  'library should have longer opening hours, and that the new reading room will be finished with ' +
  'the help of volunteers from the town. After a long discussion about the cost of heating, the ' +
  'chair proposed to compare offers from three suppliers and to report back to the members at the ' +
  'next meeting, which will be held in the old school building.';

describe('gopherQuality', () => {
  it('keeps ordinary English prose', () => {
    expect(gopherQuality(PROSE)).toBeNull();
  });

  it('rejects documents under 50 words', () => {
    expect(gopherQuality('The cat sat on the mat with the dog.')).toMatchObject({ reason: 'gopher_short_doc' });
  });

  it('rejects documents over the word limit', () => {
    expect(gopherQuality(PROSE, { ...GOPHER_QUALITY_DEFAULTS, maxDocWords: 40 })).toMatchObject({ reason: 'gopher_long_doc' });
  });

  it('rejects text whose mean word length is out of range', () => {
    const short = Array.from({ length: 80 }, (_, i) => (i % 3 === 0 ? 'the' : i % 3 === 1 ? 'to' : 'a')).join(' ');
    expect(gopherQuality(short)).toMatchObject({ reason: 'gopher_below_avg_threshold' });
    const long = `the and ${Array.from({ length: 60 }, () => 'internationalisation').join(' ')}`;
    expect(gopherQuality(long)).toMatchObject({ reason: 'gopher_above_avg_threshold' });
  });

  it('rejects hashtag soup and ellipsis-heavy text', () => {
    const tags = `${PROSE} ${Array.from({ length: 12 }, (_, i) => `#tag${i}`).join(' ')}`;
    expect(gopherQuality(tags)).toMatchObject({ reason: 'gopher_too_many_hashes' });
    const dots = PROSE.split(' ').map((w, i) => (i % 5 === 0 ? `${w}...` : w)).join(' ');
    expect(gopherQuality(dots)).toMatchObject({ reason: 'gopher_too_many_ellipsis' });
  });

  it('rejects pages that are almost all bullets or lines ending in an ellipsis', () => {
    const bullets = PROSE.split(/(?<=,|\.) /).map((s) => `- ${s}`).join('\n');
    expect(gopherQuality(bullets)).toMatchObject({ reason: 'gopher_too_many_bullets' });
    const teasers = PROSE.split(/(?<=,|\.) /).map((s, i) => (i % 2 === 0 ? `${s} read more…` : s)).join('\n');
    expect(gopherQuality(teasers)).toMatchObject({ reason: 'gopher_too_many_end_ellipsis' });
  });

  it('rejects number tables (too few words with a letter)', () => {
    const table = `the and ${Array.from({ length: 60 }, (_, i) => `${1000 + i * 7}`).join(' ')} with that`;
    expect(gopherQuality(table)).toMatchObject({ reason: 'gopher_below_alpha_threshold' });
  });

  it('rejects text without two distinct stop words, counted case-sensitively like datatrove', () => {
    const noStop = PROSE.replace(/\b(the|be|to|of|and|that|have|with)\b/g, 'a');
    expect(gopherQuality(noStop)).toMatchObject({ reason: 'gopher_enough_stop_words', details: { stopWords: 0 } });
  });

  it('disables a rule with null', () => {
    expect(gopherQuality('The committee of the town reviewed the budget.', { ...GOPHER_QUALITY_DEFAULTS, minDocWords: null })).toBeNull();
  });
});
