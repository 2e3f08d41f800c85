import { sql } from 'kysely';
import { mirrorError } from '../core/index.js';
import { createStore, type StoreConnection, type StoreOptions } from './create-store.js';
import { migrate } from './migrator.js';
import type { Store } from './store.js';

/**
 * Finishes opening a store: checks that the database answers (STORE_UNAVAILABLE naming
 * `shownUrl` otherwise), migrates it, and wraps it. Closes the connection on any
 * failure, so a refused open leaves nothing behind.
 */
export async function openMigrated(
  conn: StoreConnection,
  shownUrl: string,
  options: StoreOptions = {},
): Promise<Store> {
  try {
    try {
      await sql`select 1`.execute(conn.db);
    } catch (err) {
      throw unavailable(shownUrl, err);
    }
    await migrate(conn.db, conn.engine);
    return createStore(conn, options);
  } catch (err) {
    await conn.db.destroy();
    throw err;
  }
}

/** STORE_UNAVAILABLE for a database that cannot be opened or reached, with the cause. */
export function unavailable(shownUrl: string, cause: unknown) {
  return mirrorError('STORE_UNAVAILABLE', { url: shownUrl, reason: describeCause(cause) }, cause);
}

/** A one-line reason; Node reports a refused connection to several addresses with an empty message. */
function describeCause(err: unknown): string {
  if (err instanceof AggregateError && err.message === '') {
    return err.errors.map((e) => describeCause(e)).join('; ');
  }
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
