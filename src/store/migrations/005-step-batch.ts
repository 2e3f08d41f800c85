import type { Migration } from './migration.js';

/**
 * A step run as a batch job of a cluster's scheduler: its job id there (`12345`) and its
 * state as last seen (`PENDING (Resources)`); both null for a step run as a local process.
 */
export const stepBatch: Migration = {
  version: 5,
  name: 'step-batch',
  async up(db) {
    await db.schema.alterTable('job_steps').addColumn('batch_id', 'text').execute();
    await db.schema.alterTable('job_steps').addColumn('batch_state', 'text').execute();
  },
};
