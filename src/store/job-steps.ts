import type { Kysely, Updateable } from 'kysely';
import { mirrorError } from '../core/index.js';
import { atomically, type OpsContext } from './context.js';
import { rowsPerStatement, slices } from './engine.js';
import { requireJob } from './jobs.js';
import type { Database, JobStepsTable } from './schema.js';
import type { StepPatch, StepStatus, StoreOps } from './store.js';

type JobStepOps = Pick<StoreOps, 'resetJobSteps' | 'updateJobStep'>;

const STEP_COLUMNS = 12;

/** Writing a job's step records (reading them is in jobs.ts). */
export function jobStepOps(db: Kysely<Database>, ctx: OpsContext): JobStepOps {
  return {
    // JOB_NOT_FOUND for an unknown job, rather than a foreign key violation.
    resetJobSteps(jobId, steps) {
      return atomically(db, async (trx) => {
        await requireJob(trx, jobId);
        await trx.deleteFrom('job_steps').where('job_id', '=', jobId).execute();
        const pending: StepStatus = 'pending';
        const rows = steps.map((s) => ({
          job_id: jobId,
          step_id: s.stepId,
          priority: s.priority,
          status: pending,
          started_at: null,
          ended_at: null,
          exit_code: null,
          signal: null,
          reason: null,
          log_path: null,
          batch_id: null,
          batch_state: null,
        }));
        for (const part of slices(rows, rowsPerStatement(ctx.engine, STEP_COLUMNS))) {
          await trx.insertInto('job_steps').values(part).execute();
        }
      });
    },

    // A field left out (or undefined) stays as it is; null clears it. An unknown job
    // is JOB_NOT_FOUND, an unknown step of a known job STEP_UNKNOWN.
    async updateJobStep(jobId, stepId, patch) {
      const set = stepColumns(patch);
      const found =
        Object.keys(set).length === 0
          ? (await db
              .selectFrom('job_steps')
              .select('step_id')
              .where('job_id', '=', jobId)
              .where('step_id', '=', stepId)
              .executeTakeFirst()) !== undefined
          : (
              await db
                .updateTable('job_steps')
                .set(set)
                .where('job_id', '=', jobId)
                .where('step_id', '=', stepId)
                .executeTakeFirst()
            ).numUpdatedRows > 0n;
      if (!found) await stepNotFound(db, jobId, stepId);
    },
  };
}

/** The patch's fields as columns, those given only. */
function stepColumns(p: StepPatch): Updateable<JobStepsTable> {
  const set: Updateable<JobStepsTable> = {};
  if (p.status !== undefined) set.status = p.status;
  if (p.startedAt !== undefined) set.started_at = p.startedAt;
  if (p.endedAt !== undefined) set.ended_at = p.endedAt;
  if (p.exitCode !== undefined) set.exit_code = p.exitCode;
  if (p.signal !== undefined) set.signal = p.signal;
  if (p.reason !== undefined) set.reason = p.reason;
  if (p.logPath !== undefined) set.log_path = p.logPath;
  if (p.batchId !== undefined) set.batch_id = p.batchId;
  if (p.batchState !== undefined) set.batch_state = p.batchState;
  return set;
}

/** Throws why a step record was not found: no such job, or no such step of it. */
async function stepNotFound(db: Kysely<Database>, jobId: number, stepId: string): Promise<never> {
  await requireJob(db, jobId);
  const rows = await db
    .selectFrom('job_steps')
    .select('step_id')
    .where('job_id', '=', jobId)
    .orderBy('priority')
    .orderBy('step_id')
    .execute();
  throw mirrorError('STEP_UNKNOWN', {
    jobid: jobId,
    step: stepId,
    steps: rows.map((r) => r.step_id).join(', ') || 'none',
  });
}
