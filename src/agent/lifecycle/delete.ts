import { rm } from 'node:fs/promises';
import { mirrorError } from '../../core/index.js';
import type { AgentContext } from '../context.js';
import { jobOfThisRid } from '../job-access.js';
import { allRunDirs } from '../../run-dir/index.js';
import { kill } from './kill.js';

/**
 * `jobdelete_<rid>.do(job_id, force)`: deletes the job's rows (steps, events, items),
 * every run directory it has had here (force=1 siblings too) and its stored files.
 * A running job is refused (`job is running , jobid : N`) unless force=1, which kills
 * it first.
 */
export async function deleteJob(ctx: AgentContext, jobId: number, force: boolean): Promise<void> {
  const job = await jobOfThisRid(ctx, jobId);
  if (job.state === 'running') {
    if (!force) throw mirrorError('JOB_IS_RUNNING', { jobid: jobId });
    await kill(ctx, jobId);
  }
  await ctx.hub.deleteJobRecords(jobId);
  // Only the job's own directories under this machine's jobs root, whatever its row says.
  for (const dir of await allRunDirs(ctx.config.workdir, jobId))
    await rm(dir, { recursive: true, force: true });
}
