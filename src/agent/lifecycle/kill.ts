import { MOVES } from '../../job/index.js';
import { mirrorError } from '../../core/index.js';
import { stopRun, type AgentContext } from '../context.js';
import { jobOfThisRid, moveJob } from '../job-access.js';

/**
 * `jobkill_<rid>.do(job_id)`: stops the running step's whole process tree (SIGTERM, a
 * grace period, SIGKILL), marks the job killed and recovers nothing. A job that is not
 * running answers the seed's `job not running , jobid : N`.
 */
export async function kill(ctx: AgentContext, jobId: number): Promise<void> {
  const job = await jobOfThisRid(ctx, jobId);
  if (job.state !== 'running') throw mirrorError('JOB_NOT_RUNNING', { jobid: jobId });
  const run = ctx.active.get(jobId);
  if (!run) {
    // Running in the store, but no chain here: its process is gone (see reconcile).
    await moveJob(ctx, jobId, { ...MOVES.kill, reason: 'killed by jobkill (no process left)' });
    return;
  }
  await stopRun(run);
  await run.done;
}
