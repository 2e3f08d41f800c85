import { MOVES } from '../job/index.js';
import { moveJob } from './job-access.js';
import type { AgentContext } from './context.js';
import { resumeRun } from './lifecycle/index.js';

/**
 * On start, settles what a previous run of this agent left. A job the store says is
 * running here whose step runs as a batch job the executor can follow again (Slurm: the
 * job belongs to the cluster and outlived the agent) is adopted: followed to its end and
 * carried on, with no second submission. Any other running job has no process any more
 * (the agent died with it), so it is marked failed with reason "agent restarted" — never
 * left running forever — and its running step records too. Policy: failed, not
 * requeued, because a half-run step may have changed its run directory; rerun it on
 * purpose. Answers the jobs to resume (claimed, not yet running), for autorun.
 */
export async function reconcile(ctx: AgentContext): Promise<number[]> {
  const reason = 'agent restarted';
  for (const job of await ctx.hub.listJobsOnRid(ctx.rid, ['running'])) {
    const steps = await ctx.hub.listJobSteps(job.id);
    const batch = steps.find((s) => s.status === 'running' && s.batchId !== null);
    if (batch?.batchId && ctx.executor.adopt !== undefined) {
      await resumeRun(ctx, job, steps, batch.stepId, batch.batchId);
      ctx.log(`job ${job.id}: step ${batch.stepId} goes on as batch job ${batch.batchId}; followed again`);
      continue;
    }
    for (const step of steps) {
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
