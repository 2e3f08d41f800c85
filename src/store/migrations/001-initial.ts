import type { Migration } from './migration.js';

/** The first schema: stored files, projects, calc packages, dispatches, jobs, steps, events. */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  async up(db, engine) {
    const id = engine.idType;

    await db.schema
      .createTable('stored_files')
      .addColumn('sha256', 'text', (c) => c.primaryKey())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('projects')
      .addColumn('id', id, (c) => engine.identity(c))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('project_files')
      .addColumn('project_id', id, (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull().references('stored_files.sha256'))
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('project_files_pk', ['project_id', 'name'])
      .execute();
    await db.schema.createIndex('project_files_sha256').on('project_files').column('sha256').execute();

    await db.schema
      .createTable('calc_packages')
      .addColumn('id', id, (c) => engine.identity(c))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull().references('stored_files.sha256'))
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('adapter', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('calc_packages_sha256').on('calc_packages').column('sha256').execute();

    // Dispatches and jobs are history: no foreign keys to projects or calc packages,
    // so deleting either keeps them. Nor from jobs to their dispatch: both are written
    // in one transaction, and on PostgreSQL the per-row check would cost a dispatch of
    // 10,000 jobs some 100 ms (each row locks the dispatch row again).
    await db.schema
      .createTable('dispatches')
      .addColumn('id', id, (c) => engine.identity(c))
      .addColumn('project_id', id, (c) => c.notNull())
      .addColumn('package_id', id, (c) => c.notNull())
      .addColumn('para_name', 'text', (c) => c.notNull())
      .addColumn('job_count', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('jobs')
      .addColumn('id', id, (c) => engine.identity(c))
      .addColumn('dispatch_id', id, (c) => c.notNull())
      .addColumn('project_id', id, (c) => c.notNull())
      .addColumn('package_id', id, (c) => c.notNull())
      .addColumn('para_name', 'text', (c) => c.notNull())
      .addColumn('state_index', 'integer', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('rid', 'integer')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('path', 'text')
      .addColumn('lease_until', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    // Keyset paging (`... AND id < ? ORDER BY id DESC`) for each filter of listJobs.
    for (const column of ['state', 'project_id', 'package_id', 'rid', 'dispatch_id']) {
      await db.schema.createIndex(`jobs_${column}_id`).on('jobs').columns([column, 'id']).execute();
    }

    await db.schema
      .createTable('job_steps')
      .addColumn('job_id', id, (c) => c.notNull().references('jobs.id').onDelete('cascade'))
      .addColumn('step_id', 'text', (c) => c.notNull())
      .addColumn('priority', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('ended_at', 'bigint')
      .addColumn('exit_code', 'integer')
      .addColumn('signal', 'text')
      .addColumn('reason', 'text')
      .addColumn('log_path', 'text')
      .addPrimaryKeyConstraint('job_steps_pk', ['job_id', 'step_id'])
      .execute();

    await db.schema
      .createTable('job_events')
      .addColumn('id', id, (c) => engine.identity(c))
      .addColumn('job_id', id, (c) => c.notNull().references('jobs.id').onDelete('cascade'))
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('from_state', 'text')
      .addColumn('to_state', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('job_events_job_id_id').on('job_events').columns(['job_id', 'id']).execute();
  },
};
