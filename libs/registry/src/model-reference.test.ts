import { describe, expect, it } from 'vitest';
import { parseModelReference } from './model-reference';
import { RegistryError } from './registry.errors';

describe('parseModelReference', () => {
  it('reads versions, aliases and bare names (= champion)', () => {
    expect(parseModelReference('sotu@3')).toEqual({ kind: 'version', model: 'sotu', n: 3, id: 'sotu@3' });
    expect(parseModelReference('sotu:challenger')).toEqual({ kind: 'alias', model: 'sotu', alias: 'challenger' });
    expect(parseModelReference('sotu')).toEqual({ kind: 'alias', model: 'sotu', alias: 'champion' });
    expect(parseModelReference('gpt2-small.v1_b@12')).toMatchObject({ model: 'gpt2-small.v1_b', n: 12 });
  });

  it.each([
    ['', 'expected <model>'],
    ['sotu@', 'expected <model>'],
    ['sotu@0', 'version numbers start at 1'],
    ['sotu@-1', 'expected <model>'],
    ['sotu@1:x', 'expected <model>'],
    ['sotu:', 'expected <model>'],
    ['-sotu', 'invalid model name'],
    ['so tu', 'invalid model name'],
    ['sotu:Champion', 'invalid alias'],
  ])('rejects %j saying why', (ref, why) => {
    let error: unknown;
    try {
      parseModelReference(ref);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({ code: 'invalid_reference', retriable: false });
    expect((error as Error).message).toContain(why);
  });
});
