import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProfiles, PROFILES_PATH } from '../../scripts/build-language-profiles';

describe('language-profiles.json', () => {
  it('is exactly what the build script derives from the UDHR texts', () => {
    // Byte comparison: key order matters too (profiles are most-frequent-first).
    expect(`${JSON.stringify(buildProfiles())}\n`).toBe(readFileSync(PROFILES_PATH, 'utf8'));
  });
});
