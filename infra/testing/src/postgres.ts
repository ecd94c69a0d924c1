/**
 * PostgreSQL for integration suites: find (DATABASE_URL) or start (infra/postgres/up).
 */
import { readOverrides } from './config';
import { runLauncher } from './launcher';

/** First provision may apt-get install the server; warm start is well under a second. */
const POSTGRES_UP_TIMEOUT_MS = 10 * 60_000;

export interface PostgresConnection {
  readonly dsn: string;
}

let started: Promise<PostgresConnection> | undefined;

/**
 * Returns DATABASE_URL when set (nothing is started); otherwise runs infra/postgres/up,
 * which reuses a running server, and returns postgres://crucible:crucible@127.0.0.1:15432/crucible.
 */
export function ensurePostgres(): Promise<PostgresConnection> {
  const { databaseUrl } = readOverrides();
  if (databaseUrl) return Promise.resolve({ dsn: databaseUrl });
  started ??= runLauncher('postgres', { timeoutMs: POSTGRES_UP_TIMEOUT_MS }).then((dsn) => ({ dsn }));
  return started;
}
