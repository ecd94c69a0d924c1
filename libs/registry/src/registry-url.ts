/**
 * Where the registry lives: `sqlite:<path>`, `sqlite::memory:` or `postgres://…[?schema=<name>]`.
 * PostgreSQL tables live in their own schema (`registry` unless `?schema=` says otherwise) so
 * the registry can share a database with other tools.
 */
import { join } from 'node:path';
import { RegistryError } from './registry.errors';

export const REGISTRY_URL_ENV = 'CRUCIBLE_REGISTRY_URL';
export const DEFAULT_POSTGRES_SCHEMA = 'registry';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export type RegistryLocation =
  | { readonly dialect: 'sqlite'; readonly path: string }
  | { readonly dialect: 'postgres'; readonly connectionString: string; readonly schema: string };

/** `CRUCIBLE_REGISTRY_URL` when set, else the embedded default `sqlite:<dataDir>/registry.db`. */
export function registryUrlFrom(env: Readonly<Record<string, string | undefined>>, dataDir: string): string {
  const configured = env[REGISTRY_URL_ENV]?.trim();
  return configured ? configured : `sqlite:${join(dataDir, 'registry.db')}`;
}

export function parseRegistryUrl(url: string): RegistryLocation {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw invalid(url, 'sqlite URLs need a path: sqlite:<path> or sqlite::memory:');
    return { dialect: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw invalid(url, 'not a valid postgres:// URL');
    }
    const schema = parsed.searchParams.get('schema') ?? DEFAULT_POSTGRES_SCHEMA;
    if (!SCHEMA_NAME.test(schema)) throw invalid(url, `schema '${schema}' must match ${SCHEMA_NAME.source}`);
    parsed.searchParams.delete('schema');
    return { dialect: 'postgres', connectionString: parsed.toString(), schema };
  }
  throw invalid(url, 'expected sqlite:<path>, sqlite::memory: or postgres://…');
}

/** The URL with any password masked, for logs and error messages. */
export function redactRegistryUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

const invalid = (url: string, why: string): RegistryError =>
  new RegistryError('invalid_registry_url', `invalid registry URL '${redactRegistryUrl(url)}': ${why}`);
