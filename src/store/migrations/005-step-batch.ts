import type { Migration } from './migration.js';

/**
 * A step run as a batch job of a cluster's scheduler: its job id there (`12345`) and its
 * state as last seen (`PENDING (Resources)`); both null for a step run as a local process.
 * A machine's executor (`local`, `slurm`) and whether its steps go on without its agent
 * (batch jobs do), which the lost-agent policy heeds.
 */
export const stepBatch: Migration = {
  version: 5,
  name: 'step-batch',
  async up(db) {
    await db.schema.alterTable('job_steps').addColumn('batch_id', 'text').execute();
    await db.schema.alterTable('job_steps').addColumn('batch_state', 'text').execute();
    await db.schema
      .alterTable('machines')
      .addColumn('executor', 'text', (c) => c.notNull().defaultTo('local'))
      .execute();
    await db.schema
      .alterTable('machines')
      .addColumn('steps_outlive_agent', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
