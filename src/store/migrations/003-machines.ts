import type { Migration } from './migration.js';

/**
 * Resource machines and their last heartbeat: the lease an agent holds on its jobs.
 * Kept in the store so that every hub on one database sees every agent's heartbeat,
 * whichever hub it was sent to.
 */
export const machines: Migration = {
  version: 3,
  name: 'machines',
  async up(db) {
    await db.schema
      .createTable('machines')
      .addColumn('rid', 'integer', (c) => c.primaryKey())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('slots', 'integer', (c) => c.notNull())
      .addColumn('slots_in_use', 'integer', (c) => c.notNull())
      .addColumn('last_heartbeat', 'bigint', (c) => c.notNull())
      .execute();
  },
};
