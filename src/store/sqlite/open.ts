import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import type { StoreConnection, StoreOptions } from '../create-store.js';
import { openMigrated, unavailable } from '../open-migrated.js';
import type { Database } from '../schema.js';
import type { Store } from '../store.js';
import { sqliteEngine } from './engine.js';

/** The path of a private, in-memory database (gone when the store closes). */
export const SQLITE_MEMORY = ':memory:';

/** Prepared statements kept for reuse, the least recently used dropped beyond this. */
const CACHED_STATEMENTS = 200;
/** Longer SQL (multi-row inserts of a dispatch) is prepared each time, not kept. */
const CACHED_SQL_LENGTH = 2000;

/**
 * The database as Kysely sees it, answering `prepare` with the statement prepared
 * before for the same SQL text: Kysely prepares every query anew, which cost as much as
 * running it for the store's one-row reads and writes. Reuse is safe: the connection
 * runs one query at a time, each to its end (`all` or `run`).
 */
function reusingStatements(database: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      if (sql.length > CACHED_SQL_LENGTH) return database.prepare(sql);
      const statement = statements.get(sql) ?? database.prepare(sql);
      statements.delete(sql);
      statements.set(sql, statement);
      if (statements.size > CACHED_STATEMENTS) statements.delete(statements.keys().next().value ?? '');
      return statement;
    },
  };
}

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
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: reusingStatements(database) }),
    });
    return { db, engine: sqliteEngine };
  } catch (err) {
    throw unavailable(`sqlite:${path}`, err);
  }
}

/** Opens and migrates the SQLite store at `path` (`:memory:` for a private one). */
export async function openSqliteStore(path: string, options: StoreOptions = {}): Promise<Store> {
  return openMigrated(await connectSqlite(path), `sqlite:${path}`, options);
}
