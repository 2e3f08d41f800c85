import type { Migration } from './migration.js';

/**
 * A job's data items (what `jobgetdata` shows), and an index for the jobs of one
 * resource machine in given states (an agent's restart, the hub's lost-agent sweep).
 */
export const jobItems: Migration = {
  version: 2,
  name: 'job-items',
  async up(db, engine) {
    // An item goes with its job; a stored file stays while an item refers to it.
    await db.schema
      .createTable('job_items')
      .addColumn('job_id', engine.idType, (c) => c.notNull().references('jobs.id').onDelete('cascade'))
      .addColumn('section', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.references('stored_files.sha256'))
      .addColumn('size', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('job_items_pk', ['job_id', 'section', 'key'])
      .execute();
    await db.schema.createIndex('job_items_sha256').on('job_items').column('sha256').execute();

    await db.schema.createIndex('jobs_rid_state').on('jobs').columns(['rid', 'state']).execute();
  },
};
