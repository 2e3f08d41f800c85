import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { StoreConnection, StoreOptions } from '../create-store.js';
import { openMigrated } from '../open-migrated.js';
import type { Database } from '../schema.js';
import type { Store } from '../store.js';
import { maskStoreUrl } from '../store-url.js';
import { postgresEngine } from './engine.js';

export interface PostgresStoreOptions extends StoreOptions {
  /** Most connections the pool opens; default 10. */
  readonly poolSize?: number;
  /** Longest wait for a connection (a new one, or a free one of a busy pool), ms; default 10,000. */
  readonly connectTimeoutMs?: number;
}

/** OID of PostgreSQL's `bigint` (int8). */
const INT8_OID = 20;

/**
 * Reads `bigint` as a JavaScript number: Mirror's bigints are times in ms, sizes and
 * ids, all far below 2^53. A value beyond that throws rather than lose digits.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} does not fit a JavaScript number`);
  return value;
}

/** This pool's own type parsers (not the process-wide `pg.types`): int8 as number. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : (pg.types.getTypeParser(oid, format) as unknown)) as pg.CustomTypesConfig['getTypeParser'],
};

/** A pool on the PostgreSQL database at `url`; not checked, not migrated. */
export function connectPostgres(url: string, options: PostgresStoreOptions = {}): StoreConnection {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    types,
  });
  // An idle connection the server drops is removed from the pool and reported here;
  // without a listener it would crash the process. The next query gets a fresh one.
  pool.on('error', () => {});
  // So is one dropped while checked out between two queries (a transaction awaiting
  // other work, the server restarting): its next query fails, and the pool discards it
  // when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: postgresEngine };
}

/** Opens and migrates the PostgreSQL store at `url` (`postgres://` or `postgresql://`). */
export function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  return openMigrated(connectPostgres(url, options), maskStoreUrl(url), options);
}
