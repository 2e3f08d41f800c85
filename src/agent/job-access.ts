import { mirrorError, type MirrorError } from '../core/index.js';
import type { JobState } from '../job/index.js';
import type { Job, JobTransition } from '../store/index.js';
import type { AgentContext } from './context.js';
import { isRunDirOf, jobsRoot } from '../run-dir/index.js';

/**
 * The job a per-rid service may act on: it exists (else the seed's `job is not
 * existed`), it is claimed, and by this resource machine (a call on rid 5's service
 * for a job of rid 6 touches nothing).
 */
export async function jobOfThisRid(ctx: AgentContext, jobId: number): Promise<Job> {
  const job = await ctx.hub.getJob(jobId);
  if (!job) throw mirrorError('JOB_NOT_FOUND', { job: jobId });
  if (job.rid === null) throw mirrorError('JOB_NOT_CLAIMED', { jobid: jobId, state: job.state });
  if (job.rid !== ctx.rid) throw mirrorError('JOB_WRONG_RID', { jobid: jobId, rid: job.rid, here: ctx.rid });
  return job;
}

/**
 * A state change of a job of this resource machine: applied only while the job is
 * still in one of `t.from` and still on this rid (never one requeued and claimed by
 * another machine meanwhile). Answers the changed job, or undefined.
 */
export function moveJob(
  ctx: AgentContext,
  jobId: number,
  t: Omit<JobTransition, 'onRid'>,
): Promise<Job | undefined> {
  return ctx.hub.transitionJob(jobId, { ...t, onRid: ctx.rid });
}

/** Refuses an operation on a job in a state it does not allow, naming the current state. */
export function requireState(job: Job, allowed: readonly JobState[], operation: string): void {
  if (!allowed.includes(job.state)) throw wrongState(job, allowed, operation);
}

/** The error for an operation on a job in a state it does not allow. */
export function wrongState(job: Job, allowed: readonly JobState[], operation: string): MirrorError {
  const needed = allowed.join(' or ');
  return mirrorError('JOB_WRONG_STATE', { jobid: job.id, state: job.state, operation, needed });
}

/**
 * The job's run directory, or an error saying dirbuild comes first. A path that is not
 * one of the job's own run directories under this machine's jobs root (a row changed
 * behind the agent's back) is refused, never read, written or deleted.
 */
export function runDirOf(ctx: AgentContext, job: Job): string {
  if (job.path === null) throw mirrorError('JOB_NO_DIR', { jobid: job.id });
  const root = jobsRoot(ctx.config.workdir);
  if (!isRunDirOf(root, job.id, job.path)) {
    throw mirrorError('RUN_DIR_FOREIGN', { jobid: job.id, path: JSON.stringify(job.path), root });
  }
  return job.path;
}
