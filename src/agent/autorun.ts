import { moveJob } from './job-access.js';
import { toMirrorError } from '../core/index.js';
import { MOVES } from '../job/index.js';
import type { AgentContext } from './context.js';
import { dirbuild, filebuild, startRun } from './lifecycle/index.js';

/**
 * Autorun: drives a claimed job through every phase by itself — dirbuild, filebuild,
 * every step (monitored continuously), result recovery (before the job is marked
 * finished, so a finished job's results are there) — starting from whatever phase
 * the job is in. The caller holds a slot for it. A failing phase fails the job with
 * the phase named; a failing step fails it and later steps do not run (its partial
 * results stay recoverable by a manual call); a killed job is not recovered.
 */
export async function drive(ctx: AgentContext, jobId: number): Promise<void> {
  let phase = 'dirbuild';
  try {
    let job = await ctx.hub.getJob(jobId);
    if (job?.state === 'assigned') {
      await dirbuild(ctx, jobId, false);
      job = await ctx.hub.getJob(jobId);
    }
    phase = 'filebuild';
    if (job?.state === 'built') {
      await filebuild(ctx, jobId);
      job = await ctx.hub.getJob(jobId);
    }
    phase = 'run';
    // A stopping agent starts no step: the job waits, ready, for the next start.
    if (job?.state === 'ready' && !ctx.stopping()) {
      const run = await startRun(ctx, jobId, 'all', { slotHeld: true, monitor: true, recover: true });
      await run.done;
    }
  } catch (err) {
    // Cancelled meanwhile (killed before a step ran): the phase found it gone, nothing failed.
    if ((await ctx.hub.getJob(jobId).catch(() => undefined))?.state === 'killed') {
      ctx.log(`job ${jobId}: cancelled during ${phase}`);
      return;
    }
    const reason = `${phase} failed: ${toMirrorError(err).message}`;
    ctx.log(`job ${jobId}: ${reason}`);
    await moveJob(ctx, jobId, { ...MOVES.failPhase, reason }).catch(() => undefined);
  }
}
