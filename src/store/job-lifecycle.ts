import type { Kysely, Updateable } from 'kysely';
import { mirrorError } from '../core/index.js';
import { canTransition } from '../job/index.js';
import { atomically, type OpsContext } from './context.js';
import { toJob } from './rows.js';
import type { Database, JobsTable } from './schema.js';
import type { Job, JobTransition, StoreOps } from './store.js';

type LifecycleOps = Pick<
  StoreOps,
  'transitionJob' | 'listJobsOnRid' | 'listQueuedJobIds' | 'updateJobParams' | 'deleteJob'
>;

/**
 * The job's lifecycle in the store: conditional state changes with their event rows,
 * the lists an agent and the queue start from, parameter edits, deletion. A change
 * the transition table (job/transitions.ts) does not have is refused whoever asks;
 * an allowed one is applied only while the job is still in a state the caller named.
 */
export function jobLifecycleOps(db: Kysely<Database>, ctx: OpsContext): LifecycleOps {
  return {
    transitionJob: (jobId, t) => atomically(db, (trx) => transitionJob(trx, ctx, jobId, t)),

    async listJobsOnRid(rid, states) {
      if (states.length === 0) return [];
      const rows = await db
        .selectFrom('jobs')
        .selectAll()
        .where('rid', '=', rid)
        .where('state', 'in', states)
        .orderBy('id')
        .execute();
      return rows.map(toJob);
    },

    async listQueuedJobIds(limit, queuedBefore) {
      let query = db.selectFrom('jobs').select('id').where('state', '=', 'queued');
      if (queuedBefore !== undefined) query = query.where('updated_at', '<', queuedBefore);
      const rows = await query.orderBy('id').limit(limit).execute();
      return rows.map((r) => r.id);
    },

    // The update leaves the state as it is, so RETURNING gives the state the event
    // records, read under the update's own row lock.
    updateJobParams(jobId, params, reason) {
      return atomically(db, async (trx) => {
        const now = ctx.now();
        const row = await trx
          .updateTable('jobs')
          .set({ params: JSON.stringify(params), updated_at: now })
          .where('id', '=', jobId)
          .returning('state')
          .executeTakeFirst();
        if (row === undefined) throw mirrorError('JOB_NOT_FOUND', { job: jobId });
        await trx
          .insertInto('job_events')
          .values({ job_id: jobId, at: now, from_state: row.state, to_state: row.state, reason })
          .execute();
      });
    },

    // Steps, events and items go with the row (foreign keys with cascade).
    async deleteJob(jobId) {
      const result = await db.deleteFrom('jobs').where('id', '=', jobId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

/**
 * Reads the job's state if it is one of `t.from`, then applies the change with one
 * conditional UPDATE and writes the event. RETURNING gives only the new row, so the
 * event's `from` is the state read first: on PostgreSQL that read locks the row
 * (`FOR UPDATE`) until the transaction ends; on SQLite the store's one connection runs
 * this transaction alone. Either way it is still the state the UPDATE replaces, and of
 * two racing claims the second finds the job no longer queued and changes nothing.
 */
async function transitionJob(
  trx: Kysely<Database>,
  ctx: OpsContext,
  jobId: number,
  t: JobTransition,
): Promise<Job | undefined> {
  const illegal = t.from.find((from) => !canTransition(from, t.to));
  if (illegal !== undefined)
    throw mirrorError('TRANSITION_ILLEGAL', { jobid: jobId, from: illegal, to: t.to });
  if (t.from.length === 0) return undefined;
  const current = await trx
    .selectFrom('jobs')
    .select('state')
    .where('id', '=', jobId)
    .where('state', 'in', t.from)
    .$if(t.onRid !== undefined, (q) => q.where('rid', '=', t.onRid ?? null))
    .$if(ctx.engine.rowLocks, (q) => q.forUpdate())
    .executeTakeFirst();
  if (current === undefined) return undefined;

  const now = ctx.now();
  const set: Updateable<JobsTable> = { state: t.to, updated_at: now };
  if (t.path !== undefined) set.path = t.path;
  if (t.rid !== undefined) set.rid = t.rid;
  const row = await trx
    .updateTable('jobs')
    .set(set)
    .where('id', '=', jobId)
    .where('state', 'in', t.from)
    .$if(t.onRid !== undefined, (q) => q.where('rid', '=', t.onRid ?? null))
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) return undefined;

  await trx
    .insertInto('job_events')
    .values({ job_id: jobId, at: now, from_state: current.state, to_state: t.to, reason: t.reason })
    .execute();
  return toJob(row);
}
