import type { AgentContext } from '../context.js';
import { jobOfThisRid } from '../job-access.js';
import { readStepLog, stepLogGone } from '../../run-dir/index.js';
import { JOB_ID, perRidService } from './per-rid.js';

/**
 * `joblog_<rid>.do(job_id, step, offset=0)` → `[0, {text, next, size}]`: a piece of a
 * step's log on this resource machine (at most 1 MiB from `offset`) and its size. Not a verb of the
 * original: the hub reads logs through it when the run directory is on another host.
 */
export const joblogService = (ctx: AgentContext) =>
  perRidService(
    'joblog',
    ctx.rid,
    [JOB_ID, { name: 'step', type: 'string' }, { name: 'offset', type: 'count', default: 0 }],
    async (args) => {
      const job = await jobOfThisRid(ctx, args.job_id);
      const step = args.step;
      const read = await readStepLog(
        job,
        await ctx.hub.listJobSteps(job.id),
        step,
        args.offset,
        ctx.config.workdir,
      );
      if (read === 'missing') throw stepLogGone(job.id, step, 'it does not exist');
      return read;
    },
  );
