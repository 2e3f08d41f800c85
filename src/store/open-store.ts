import type { StoreConnection } from './create-store.js';
import { connectPostgres, openPostgresStore, type PostgresStoreOptions } from './postgres/index.js';
import { connectSqlite, openSqliteStore } from './sqlite/index.js';
import type { Store } from './store.js';
import { parseStoreUrl } from './store-url.js';

/** Options of `openStore`; those a backend does not use are ignored (`poolSize` on SQLite). */
export type OpenStoreOptions = PostgresStoreOptions;

/**
 * Opens the store a URL names, migrated to the newest schema: `sqlite:<path>`,
 * `sqlite::memory:`, or `postgres://...` / `postgresql://...`. Rejects with
 * STORE_URL_INVALID, STORE_UNAVAILABLE or STORE_SCHEMA_NEWER.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const target = parseStoreUrl(url);
  switch (target.backend) {
    case 'sqlite':
      return openSqliteStore(target.path, options);
    case 'postgres':
      return openPostgresStore(target.url, options);
  }
}

/** The database a URL names, opened but neither checked nor migrated (for tools and tests). */
export async function connectStore(url: string, options: OpenStoreOptions = {}): Promise<StoreConnection> {
  const target = parseStoreUrl(url);
  switch (target.backend) {
    case 'sqlite':
      return connectSqlite(target.path);
    case 'postgres':
      return connectPostgres(target.url, options);
  }
}
