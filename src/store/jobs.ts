import type { ExpressionBuilder, Expression, Kysely, SqlBool } from 'kysely';
import { mirrorError } from '../core/index.js';
import type { OpsContext } from './context.js';
import { toJob, toJobEvent, toJobStep } from './rows.js';
import type { Database } from './schema.js';
import type { JobFilter, StoreOps } from './store.js';

type JobOps = Pick<
  StoreOps,
  'getJob' | 'listJobs' | 'countJobs' | 'countJobsByState' | 'listJobEvents' | 'listJobSteps'
>;

/** Page size of listJobs when the filter names none. */
export const DEFAULT_JOB_PAGE = 50;

/** Reading jobs, their steps and their events. */
export function jobOps(db: Kysely<Database>, _ctx: OpsContext): JobOps {
  return {
    async getJob(id) {
      const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toJob(row);
    },

    // Keyset paging, newest first: the next page starts below the last id seen. Each
    // filter column has an (column, id) index, so a page costs its own rows only.
    async listJobs(filter = {}) {
      const rows = await db
        .selectFrom('jobs')
        .selectAll()
        .where((eb) => matches(eb, filter))
        .$if(filter.beforeId !== undefined, (q) => q.where('id', '<', filter.beforeId ?? 0))
        .$if(filter.afterId !== undefined, (q) => q.where('id', '>', filter.afterId ?? 0))
        .orderBy('id', filter.order ?? 'desc')
        .limit(filter.limit ?? DEFAULT_JOB_PAGE)
        .execute();
      return rows.map(toJob);
    },

    async countJobs(filter = {}) {
      const row = await db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll().as('n'))
        .where((eb) => matches(eb, filter))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async countJobsByState(filter = {}) {
      const rows = await db
        .selectFrom('jobs')
        .select(['state', (eb) => eb.fn.countAll().as('n')])
        .where((eb) => matches(eb, filter))
        .groupBy('state')
        .execute();
      return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    },

    async listJobEvents(jobId) {
      const rows = await db
        .selectFrom('job_events')
        .selectAll()
        .where('job_id', '=', jobId)
        .orderBy('id')
        .execute();
      return rows.map(toJobEvent);
    },

    async listJobSteps(jobId) {
      const rows = await db
        .selectFrom('job_steps')
        .selectAll()
        .where('job_id', '=', jobId)
        .orderBy('priority')
        .orderBy('step_id')
        .execute();
      return rows.map(toJobStep);
    },
  };
}

/** The filter's conditions (all must hold); no condition matches every job. */
function matches(eb: ExpressionBuilder<Database, 'jobs'>, f: JobFilter): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (f.state !== undefined) conditions.push(eb('state', '=', f.state));
  if (f.projectId !== undefined) conditions.push(eb('project_id', '=', f.projectId));
  if (f.packageId !== undefined) conditions.push(eb('package_id', '=', f.packageId));
  if (f.dispatchId !== undefined) conditions.push(eb('dispatch_id', '=', f.dispatchId));
  if (f.rid !== undefined) conditions.push(eb('rid', '=', f.rid));
  if (f.label !== undefined) conditions.push(eb('label', '=', f.label));
  return eb.and(conditions);
}

/** Throws JOB_NOT_FOUND when there is no job `jobId`. */
export async function requireJob(db: Kysely<Database>, jobId: number): Promise<void> {
  const row = await db.selectFrom('jobs').select('id').where('id', '=', jobId).executeTakeFirst();
  if (row === undefined) throw mirrorError('JOB_NOT_FOUND', { job: jobId });
}
