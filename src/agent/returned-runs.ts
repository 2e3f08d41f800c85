import { MOVES } from '../job/index.js';
import { stopRun, type AgentContext } from './context.js';
import { moveJob } from './job-access.js';

/**
 * Settles, by the store's verdict, the step chains this agent still runs after being
 * cut off from the hub (its heartbeats did not get through for a while):
 * - the job is `lost` on this rid (the hub gave up on it; the lost-agent policy never
 *   starts a running job elsewhere): adopted, back to `running`, since its steps still
 *   run here;
 * - the job is no longer this machine's (deleted, requeued, rerun, claimed by another
 *   machine): its step processes are stopped here and its state is left alone, so a
 *   job never runs twice;
 * - otherwise (still running here): nothing to do.
 * Answers what it did, by job id.
 */
export async function settleReturnedRuns(ctx: AgentContext): Promise<Map<number, 'adopted' | 'stopped'>> {
  const done = new Map<number, 'adopted' | 'stopped'>();
  for (const run of [...ctx.active.values()]) {
    const job = await ctx.hub.getJob(run.jobId);
    if (job?.rid === ctx.rid && job.state === 'lost') {
      const back = await moveJob(ctx, job.id, {
        ...MOVES.adopt,
        reason: `agent back: rid ${ctx.rid} still runs it`,
      });
      if (back) {
        ctx.log(`job ${job.id}: was marked lost while this agent was cut off; still running here, adopted`);
        done.set(job.id, 'adopted');
      }
    } else if (!job || job.rid !== ctx.rid || job.state === 'queued') {
      if (run.killed) continue;
      ctx.log(
        `job ${run.jobId}: no longer this machine's job (${job ? job.state : 'deleted'}); stopping its steps`,
      );
      await stopRun(run, 'no longer this machine’s job');
      done.set(run.jobId, 'stopped');
    }
  }
  return done;
}
