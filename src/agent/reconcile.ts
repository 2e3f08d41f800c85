import { MOVES } from '../job/index.js';
import { moveJob } from './job-access.js';
import type { AgentContext } from './context.js';

/**
 * On start, settles what a previous run of this agent left: a job the store says is
 * running here has no process any more (the agent died with it), so it is marked
 * failed with reason "agent restarted" — never left running forever — and its running
 * step records too. Policy: failed, not requeued, because a half-run step may have
 * changed its run directory; rerun it on purpose. Answers the jobs to resume
 * (claimed, not yet running), for autorun.
 */
export async function reconcile(ctx: AgentContext): Promise<number[]> {
  const reason = 'agent restarted';
  for (const job of await ctx.hub.listJobsOnRid(ctx.rid, ['running'])) {
    for (const step of await ctx.hub.listJobSteps(job.id)) {
      if (step.status === 'running') {
        await ctx.hub.updateJobStep(job.id, step.stepId, { status: 'failed', endedAt: Date.now(), reason });
      }
    }
    await moveJob(ctx, job.id, { ...MOVES.fail, reason });
    ctx.log(`job ${job.id}: was running when this agent stopped; marked failed (${reason})`);
  }
  const waiting = await ctx.hub.listJobsOnRid(ctx.rid, MOVES.requeue.from);
  return waiting.map((j) => j.id);
}
