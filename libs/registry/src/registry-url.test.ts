import { describe, expect, it } from 'vitest';
import { parseRegistryUrl, redactRegistryUrl, registryUrlFrom } from './registry-url';

describe('registry URLs', () => {
  it('defaults to sqlite in the data directory unless CRUCIBLE_REGISTRY_URL is set', () => {
    expect(registryUrlFrom({}, '/data')).toBe('sqlite:/data/registry.db');
    expect(registryUrlFrom({ CRUCIBLE_REGISTRY_URL: ' ' }, '/data')).toBe('sqlite:/data/registry.db');
    expect(registryUrlFrom({ CRUCIBLE_REGISTRY_URL: 'postgres://h/db' }, '/data')).toBe('postgres://h/db');
  });

  it('parses sqlite paths, memory and postgres with an optional schema', () => {
    expect(parseRegistryUrl('sqlite:/tmp/r.db')).toEqual({ dialect: 'sqlite', path: '/tmp/r.db' });
    expect(parseRegistryUrl('sqlite:///tmp/r.db')).toEqual({ dialect: 'sqlite', path: '/tmp/r.db' });
    expect(parseRegistryUrl('sqlite:rel/r.db')).toEqual({ dialect: 'sqlite', path: 'rel/r.db' });
    expect(parseRegistryUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', path: ':memory:' });
    expect(parseRegistryUrl('postgres://u:p@h:5432/db?schema=reg_1&sslmode=disable')).toEqual({
      dialect: 'postgres',
      connectionString: 'postgres://u:p@h:5432/db?sslmode=disable',
      schema: 'reg_1',
    });
    expect(parseRegistryUrl('postgresql://h/db')).toMatchObject({ schema: 'registry' });
  });

  it('rejects other schemes, empty paths and unsafe schema names without leaking the password', () => {
    expect(() => parseRegistryUrl('mysql://h/db')).toThrow(/expected sqlite:<path>/);
    expect(() => parseRegistryUrl('sqlite:')).toThrow(/need a path/);
    expect(() => parseRegistryUrl('postgres://u:secret@h/db?schema=x;drop')).toThrow(/schema 'x;drop'/);
    expect(() => parseRegistryUrl('postgres://u:secret@h/db?schema=x;drop')).not.toThrow(/secret/);
    expect(redactRegistryUrl('postgres://u:secret@h/db')).toBe('postgres://u:***@h/db');
  });
});
