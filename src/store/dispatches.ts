import type { Kysely } from 'kysely';
import type { JobState } from '../job/index.js';
import { atomically, type OpsContext } from './context.js';
import { rowsPerStatement, slices } from './engine.js';
import { toDispatch } from './rows.js';
import type { Database } from './schema.js';
import type { DispatchResult, NewDispatch, StoreOps } from './store.js';

type DispatchOps = Pick<StoreOps, 'insertDispatch' | 'getDispatch' | 'listDispatches' | 'listDispatchValues'>;

/** Bound parameters per inserted job row (every column but id, rid, path, lease_until). */
const JOB_COLUMNS = 10;
/** Rows per INSERT at most: larger statements were no faster on either engine (10,000 jobs measured). */
const MAX_JOB_ROWS = 1000;

/** Operations on dispatches: the insertion of a dispatch's jobs, and reading it back. */
export function dispatchOps(db: Kysely<Database>, ctx: OpsContext): DispatchOps {
  return {
    insertDispatch: (d) => atomically(db, (trx) => insertDispatch(trx, ctx, d)),

    async getDispatch(id) {
      const row = await db.selectFrom('dispatches').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toDispatch(row);
    },

    async listDispatches(filter = {}) {
      const rows = await db
        .selectFrom('dispatches')
        .selectAll()
        .$if(filter.projectId !== undefined, (q) => q.where('project_id', '=', filter.projectId ?? 0))
        .orderBy('id', 'desc')
        .limit(filter.limit ?? 100)
        .execute();
      return rows.map(toDispatch);
    },

    // Through the jobs' (dispatch_id, id) index, then each job's items by primary key.
    async listDispatchValues(dispatchId, section) {
      const rows = await db
        .selectFrom('jobs')
        .innerJoin('job_items', 'job_items.job_id', 'jobs.id')
        .select(['jobs.id as jobId', 'job_items.key as key', 'job_items.value as value'])
        .where('jobs.dispatch_id', '=', dispatchId)
        .where('job_items.section', '=', section)
        .where('job_items.kind', '=', 'value')
        .orderBy('jobs.id')
        .orderBy('job_items.key')
        .execute();
      return rows.map((r) => ({ jobId: r.jobId, key: r.key, value: r.value }));
    },
  };
}

/**
 * Inserts the dispatch row, its jobs (state `queued`) as multi-row INSERTs within the
 * engine's bound on parameters, then every job's `queued` event in one
 * INSERT ... SELECT. Ids ascend in the order of `d.jobs`: each statement assigns them in
 * VALUES order, and RETURNING's own order is not relied on (the ids are sorted).
 */
async function insertDispatch(
  trx: Kysely<Database>,
  ctx: OpsContext,
  d: NewDispatch,
): Promise<DispatchResult> {
  const now = ctx.now();
  const { id: dispatchId } = await trx
    .insertInto('dispatches')
    .values({
      project_id: d.projectId,
      package_id: d.packageId,
      para_name: d.paraName,
      job_count: d.jobs.length,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const queued: JobState = 'queued';
  const jobIds: number[] = [];
  const perStatement = Math.min(MAX_JOB_ROWS, rowsPerStatement(ctx.engine, JOB_COLUMNS));
  for (const part of slices(d.jobs, perStatement)) {
    const inserted = await trx
      .insertInto('jobs')
      .values(
        part.map((job) => ({
          dispatch_id: dispatchId,
          project_id: d.projectId,
          package_id: d.packageId,
          para_name: d.paraName,
          state_index: job.stateIndex,
          label: job.label,
          params: JSON.stringify(job.params),
          state: queued,
          created_at: now,
          updated_at: now,
        })),
      )
      .returning('id')
      .execute();
    jobIds.push(...inserted.map((r) => r.id).sort((a, b) => a - b));
  }

  await trx
    .insertInto('job_events')
    .columns(['job_id', 'at', 'from_state', 'to_state', 'reason'])
    .expression((eb) =>
      eb
        .selectFrom('jobs')
        .select([
          'jobs.id',
          eb.val(now).as('at'),
          eb.lit(null).as('from_state'),
          eb.val(queued).as('to_state'),
          eb.val('dispatched').as('reason'),
        ])
        .where('jobs.dispatch_id', '=', dispatchId)
        .orderBy('jobs.id'),
    )
    .execute();

  return { dispatchId, jobIds };
}
