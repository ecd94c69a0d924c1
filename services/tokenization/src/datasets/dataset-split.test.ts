import { describe, expect, it } from 'vitest';
import { checkDatasetName } from './dataset-name';
import { splitOf } from './dataset-split';
import { InvalidDatasetNameError } from './dataset.errors';

describe('splitOf', () => {
  const ids = Array.from({ length: 10_000 }, (_, i) => `sha256:${i.toString(16).padStart(64, '0')}`);

  it('is deterministic and honours the edges', () => {
    expect(ids.slice(0, 50).map((id) => splitOf(id, 0.3))).toEqual(ids.slice(0, 50).map((id) => splitOf(id, 0.3)));
    expect(ids.every((id) => splitOf(id, 0) === 'train')).toBe(true);
    expect(ids.every((id) => splitOf(id, 1) === 'validation')).toBe(true);
  });

  it('puts about the fraction in validation, and a larger fraction only adds documents', () => {
    const at = (fraction: number) => new Set(ids.filter((id) => splitOf(id, fraction) === 'validation'));
    const five = at(0.05);
    const ten = at(0.1);
    expect(five.size / ids.length).toBeCloseTo(0.05, 1);
    expect(ten.size / ids.length).toBeCloseTo(0.1, 1);
    expect([...five].every((id) => ten.has(id))).toBe(true);
  });
});

describe('checkDatasetName', () => {
  it('accepts directory-safe names and refuses the rest', () => {
    for (const name of ['default', 'books-2024', 'a.b_c', 'X']) expect(checkDatasetName(name)).toBe(name);
    for (const name of ['', '.hidden', '-x', 'a/b', '../up', 'a@1', 'é', 'x'.repeat(101)]) {
      expect(() => checkDatasetName(name)).toThrow(InvalidDatasetNameError);
    }
  });
});
