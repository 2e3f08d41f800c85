import type { Migration } from './migration.js';

/**
 * Where each resource machine keeps its run directories, as its heartbeat says: the hub
 * takes a run directory from an agent only under that agent's own jobs root. '' for a
 * machine not heard from since this version.
 */
export const machineJobsRoot: Migration = {
  version: 4,
  name: 'machine-jobs-root',
  async up(db) {
    await db.schema
      .alterTable('machines')
      .addColumn('jobs_root', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
  },
};
