import type { AgentContext } from '../context.js';
import { filebuild } from '../lifecycle/index.js';
import { JOB_ID, perRidService } from './per-rid.js';

/** `jobfilebuild_<rid>.do(job_id)` → `[0, []]`. */
export const jobfilebuildService = (ctx: AgentContext) =>
  perRidService('jobfilebuild', ctx.rid, [JOB_ID], async (args) => {
    await filebuild(ctx, args.job_id);
    return [];
  });
