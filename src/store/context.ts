import type { Kysely } from 'kysely';
import type { Engine } from './engine.js';
import type { Database } from './schema.js';

/** What every family of operations is built with, besides the database handle. */
export interface OpsContext {
  readonly engine: Engine;
  /** The clock, in ms since the epoch. */
  readonly now: () => number;
}

/**
 * Runs `fn` atomically: in the caller's transaction when `db` already is one, else in a
 * new transaction of its own.
 */
export function atomically<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
