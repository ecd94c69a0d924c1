/** What every repository shares: the query builder, the dialect's codec and the clock. */
import type { Codec } from './codec';
import type { RegistryDb } from './database';

export interface StoreContext {
  readonly db: RegistryDb;
  readonly codec: Codec;
  /** ISO-8601 now; injected so tests can pin time. */
  readonly now: () => string;
}
