import type { AgentContext } from '../context.js';
import { kill } from '../lifecycle/index.js';
import { JOB_ID, perRidService } from './per-rid.js';

/** `jobkill_<rid>.do(job_id)` → `[0, []]`, or `[-1, "job not running , jobid : N"]`. */
export const jobkillService = (ctx: AgentContext) =>
  perRidService('jobkill', ctx.rid, [JOB_ID], async (args) => {
    await kill(ctx, args.job_id);
    return [];
  });
