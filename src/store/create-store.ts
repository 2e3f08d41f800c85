import type { Kysely } from 'kysely';
import type { Engine } from './engine.js';
import { createOps } from './ops.js';
import type { Database } from './schema.js';
import type { Store, StoreOps } from './store.js';

/** An open database handle and the traits of its engine; what a backend hands over. */
export interface StoreConnection {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
}

/** Options every backend accepts. */
export interface StoreOptions {
  /** The clock, ms since the epoch; default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Wraps a migrated connection as a Store. Inside `transaction(fn)`, use only `fn`'s
 * `tx`: on SQLite the store's single connection belongs to the transaction until it
 * ends, so a call through the store itself would wait for it forever.
 */
export function createStore(conn: StoreConnection, options: StoreOptions = {}): Store {
  const ctx = { engine: conn.engine, now: options.now ?? Date.now };
  let closing: Promise<void> | undefined;
  return Object.freeze({
    ...createOps(conn.db, ctx),
    capabilities: conn.engine.capabilities,
    transaction: <T>(fn: (tx: StoreOps) => Promise<T>) =>
      conn.db.transaction().execute((trx) => fn(createOps(trx, ctx))),
    close: () => (closing ??= conn.db.destroy()),
  });
}
