import type { Engine } from '../engine.js';

/**
 * SQLite's traits. Ids are `integer primary key autoincrement` (the rowid, never
 * reused). Migrations need no lock of their own: one process owns an SQLite store, and
 * within it Kysely's single connection runs one transaction at a time.
 */
export const sqliteEngine: Engine = Object.freeze({
  capabilities: Object.freeze({ advisoryLocks: false, sharedAcrossHosts: false }),
  maxParameters: 32_766,
  rowLocks: false,
  idType: 'integer',
  identity: (col) => col.primaryKey().autoIncrement(),
  lockForMigration: () => Promise.resolve(),
  tryTransactionLock: () => Promise.resolve(true),
} satisfies Engine);
