/**
 * Opens the registry at a URL, applies pending migrations and returns the repositories.
 *
 * @example
 * const registry = await openRegistry(registryUrlFrom(process.env, dataDir));
 * const run = await registry.runs.create({ runId, model: 'sotu', datasetId, request });
 * const { id, n } = await registry.models.nextVersion('sotu', runId); // then write models/sotu/<n>/
 * await registry.models.registerVersion({ model: 'sotu', runId, ... });
 * await registry.close();
 */
import { TransportUnavailableError } from '@crucible/contracts';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pg from 'pg';
import { postgresCodec, sqliteCodec, type Codec, type Dialect } from './codec';
import type { RegistryDatabase } from './database';
import { migrateToLatest } from './migrations';
import { ModelsRepository } from './models.repository';
import { parseRegistryUrl, redactRegistryUrl, type RegistryLocation } from './registry-url';
import { ReportsRepository } from './reports.repository';
import { RunsRepository } from './runs.repository';
import { ImmediateSqliteDialect } from './sqlite-immediate.dialect';

/** How long a SQLite writer waits for another process's write lock before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;
const POSTGRES_POOL_SIZE = 5;

export interface Registry {
  readonly dialect: Dialect;
  /** The URL it was opened with, password masked. */
  readonly location: string;
  /** Migrations this open applied; empty when the schema was already current. */
  readonly migrationsApplied: readonly string[];
  readonly runs: RunsRepository;
  readonly models: ModelsRepository;
  readonly reports: ReportsRepository;
  close(): Promise<void>;
}

export interface OpenRegistryOptions {
  /** Injected clock for tests; the system clock otherwise. */
  readonly now?: () => Date;
  /**
   * Errors of idle PostgreSQL connections (e.g. the server restarted). The pool drops the
   * broken client and the next query opens a new one; without a listener node-postgres'
   * 'error' event would crash the process. Ignored unless given.
   */
  readonly onConnectionError?: (error: Error) => void;
}

interface Opened {
  readonly db: Kysely<RegistryDatabase>;
  readonly codec: Codec;
  readonly migrationsApplied: readonly string[];
  users: number;
}

/**
 * One connection per SQLite file per process: in the embedded mode every service shares the
 * process, and two better-sqlite3 connections to one file on one thread would wait on each
 * other's write lock synchronously. Sharing lets Kysely's mutex order the writers instead.
 */
const sharedSqlite = new Map<string, Promise<Opened>>();

export async function openRegistry(url: string, options: OpenRegistryOptions = {}): Promise<Registry> {
  const location = parseRegistryUrl(url);
  const clock = options.now ?? (() => new Date());
  const now = () => clock().toISOString();
  const { opened, release } = await acquire(location, url, options);
  const ctx = { db: opened.db, codec: opened.codec, now };
  let closed = false;
  return {
    dialect: opened.codec.dialect,
    location: redactRegistryUrl(url),
    migrationsApplied: opened.migrationsApplied,
    runs: new RunsRepository(ctx),
    models: new ModelsRepository(ctx),
    reports: new ReportsRepository(ctx),
    async close() {
      if (closed) return;
      closed = true;
      await release();
    },
  };
}

async function acquire(
  location: RegistryLocation,
  url: string,
  options: OpenRegistryOptions,
): Promise<{ opened: Opened; release: () => Promise<void> }> {
  if (location.dialect === 'postgres') {
    const opened = await openPostgres(location, url, options);
    return { opened, release: () => opened.db.destroy() };
  }
  if (location.path === ':memory:') {
    const opened = await openSqlite(location.path);
    return { opened, release: () => opened.db.destroy() };
  }
  const key = resolve(location.path);
  let pending = sharedSqlite.get(key);
  if (!pending) {
    pending = openSqlite(key);
    sharedSqlite.set(key, pending);
    pending.catch(() => sharedSqlite.delete(key));
  }
  const opened = await pending;
  opened.users += 1;
  const first = opened.users === 1;
  return {
    opened: first ? opened : { ...opened, migrationsApplied: [] },
    release: async () => {
      opened.users -= 1;
      if (opened.users > 0) return;
      sharedSqlite.delete(key);
      await opened.db.destroy();
    },
  };
}

async function openSqlite(path: string): Promise<Opened> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path);
  // busy_timeout first: switching to WAL needs a lock another process may hold right now.
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  database.pragma('journal_mode = WAL');
  // As the embedded bus: WAL + NORMAL survives a process crash; a power cut may roll back the
  // last commits, which redelivered events (the bus log uses the same setting) write again.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<RegistryDatabase>({ dialect: new ImmediateSqliteDialect({ database }) });
  // Kysely runs SQLite migrations outside a transaction and without a lock (it assumes one
  // connection), so processes opening a fresh file together would both create the tables.
  // One IMMEDIATE transaction around the whole migration serialises them and keeps it atomic.
  database.exec('BEGIN IMMEDIATE');
  try {
    const opened = await migrate(db, sqliteCodec, undefined, { destroyOnError: false });
    database.exec('COMMIT');
    return opened;
  } catch (error) {
    if (database.inTransaction) database.exec('ROLLBACK');
    await db.destroy();
    throw error;
  }
}

async function openPostgres(
  location: Extract<RegistryLocation, { dialect: 'postgres' }>,
  url: string,
  options: OpenRegistryOptions,
): Promise<Opened> {
  const pool = new pg.Pool({
    connectionString: location.connectionString,
    max: POSTGRES_POOL_SIZE,
    options: `-c search_path=${location.schema}`,
  });
  pool.on('error', (error) => options.onConnectionError?.(error));
  const db = new Kysely<RegistryDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    await createSchema(pool, location.schema);
  } catch (error) {
    await db.destroy();
    // A database that isn't there yet may be there on the next try; a bad password won't.
    if (isConnectionFailure(error)) {
      throw new TransportUnavailableError(`registry database ${redactRegistryUrl(url)} is unreachable: ${String(error)}`, { cause: error });
    }
    throw error;
  }
  return migrate(db, postgresCodec, location.schema);
}

async function migrate(
  db: Kysely<RegistryDatabase>,
  codec: Codec,
  schema?: string,
  { destroyOnError = true } = {},
): Promise<Opened> {
  try {
    const migrationsApplied = await migrateToLatest(db as Kysely<unknown>, codec, schema);
    return { db, codec, migrationsApplied, users: 0 };
  } catch (error) {
    if (destroyOnError) await db.destroy();
    throw error;
  }
}

/**
 * CREATE SCHEMA IF NOT EXISTS is not safe against itself: two sessions creating the same
 * schema at once can fail with a unique violation (23505) or 'already exists' (42P06).
 * Either way the schema now exists, which is all we wanted.
 */
async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== '23505' && code !== '42P06') throw error;
  }
}

const isConnectionFailure = (error: unknown): boolean =>
  ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', '57P03'].includes(
    String((error as { code?: unknown } | null)?.code),
  );
