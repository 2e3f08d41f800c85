import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { StoreConnection, StoreOptions } from '../create-store.js';
import { openMigrated, unavailable } from '../open-migrated.js';
import type { Database } from '../schema.js';
import type { Store } from '../store.js';
import { sqliteEngine } from './engine.js';

/** The path of a private, in-memory database (gone when the store closes). */
export const SQLITE_MEMORY = ':memory:';

/**
 * Opens the SQLite database at `path` (creating it and its parent directory), with
 * WAL, synchronous=NORMAL, foreign keys on and a 5 s busy timeout; not migrated.
 */
export async function connectSqlite(path: string): Promise<StoreConnection> {
  try {
    if (path !== SQLITE_MEMORY) await mkdir(dirname(resolve(path)), { recursive: true });
    const database = new SqliteDatabase(path);
    try {
      database.pragma('journal_mode = WAL');
      database.pragma('synchronous = NORMAL');
      database.pragma('foreign_keys = ON');
      database.pragma('busy_timeout = 5000');
    } catch (err) {
      database.close();
      throw err;
    }
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    return { db, engine: sqliteEngine };
  } catch (err) {
    throw unavailable(`sqlite:${path}`, err);
  }
}

/** Opens and migrates the SQLite store at `path` (`:memory:` for a private one). */
export async function openSqliteStore(path: string, options: StoreOptions = {}): Promise<Store> {
  return openMigrated(await connectSqlite(path), `sqlite:${path}`, options);
}
