import { describe, expect, it } from 'vitest';
import { bandKeys, MINHASH_DEFAULTS, minhashSignature, signatureSimilarity, simplifyText } from './minhash';

const BASE =
  'The harbour was quiet in the early morning and the fishing boats had not yet returned from the sea. ' +
  'Along the quay a few merchants were opening their stalls and arranging baskets of bread and fruit. ' +
  'By noon the square would be crowded with sailors, travellers and children running between the carts.';

// Exact Jaccard similarity of 5-word shingle sets, for comparison with the estimate.
const jaccard = (a: string, b: string): number => {
  const sh = (t: string) => {
    const w = simplifyText(t).split(' ');
    return new Set(w.slice(0, w.length - 4).map((_, i) => w.slice(i, i + 5).join(' ')));
  };
  const A = sh(a);
  const B = sh(b);
  const inter = [...A].filter((x) => B.has(x)).length;
  return inter / (A.size + B.size - inter);
};

describe('simplifyText', () => {
  it('matches datatrove simplify_text: lower case, numbers → 0, punctuation → space, no diacritics', () => {
    expect(simplifyText('  Café — 3,5 MILLION "voters", in 1861!  ')).toBe('cafe 0 million voters in 0');
  });
});

describe('minhashSignature', () => {
  it('is deterministic and has bands × rows values', () => {
    const s = minhashSignature(BASE);
    expect(s).toHaveLength(MINHASH_DEFAULTS.bands * MINHASH_DEFAULTS.rows);
    expect(minhashSignature(BASE)).toEqual(s);
    expect(bandKeys(s)).toEqual(bandKeys(minhashSignature(BASE)));
  });

  it('ignores case and punctuation differences entirely', () => {
    expect(signatureSimilarity(minhashSignature(BASE), minhashSignature(BASE.toUpperCase().replace(/,/g, ';')))).toBe(1);
  });

  it('estimates Jaccard similarity within sampling error', () => {
    const words = BASE.split(' ');
    words[10] = 'indeed';
    words[40] = 'perhaps';
    const edited = words.join(' ');
    const est = signatureSimilarity(minhashSignature(BASE), minhashSignature(edited));
    // 112 hashes: standard error ≈ sqrt(J(1-J)/112) ≤ 0.05.
    expect(Math.abs(est - jaccard(BASE, edited))).toBeLessThan(0.15);
    const other = 'Nobody expected the storm that the old pilot had predicted the evening before at the tavern by the river.';
    expect(signatureSimilarity(minhashSignature(BASE), minhashSignature(other))).toBeLessThan(0.1);
  });

  it('puts near duplicates in a shared band and unrelated texts in none', () => {
    const words = BASE.split(' ');
    words[20] = 'indeed';
    const near = bandKeys(minhashSignature(words.join(' ')));
    const base = new Set(bandKeys(minhashSignature(BASE)));
    expect(near.some((k) => base.has(k))).toBe(true);
    const other = bandKeys(minhashSignature('A completely different text about tax policy, tariffs and the national debt of the republic.'));
    expect(other.some((k) => base.has(k))).toBe(false);
  });
});
