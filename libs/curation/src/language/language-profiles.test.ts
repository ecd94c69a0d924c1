import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProfiles, PROFILES_PATH } from '../../scripts/build-language-profiles';

describe('language-profiles.json', () => {
  it('is exactly what the build script derives from the UDHR texts', () => {
    const committed = JSON.parse(readFileSync(PROFILES_PATH, 'utf8'));
    expect(buildProfiles()).toEqual(committed);
  });
});
