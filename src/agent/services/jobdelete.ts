import type { AgentContext } from '../context.js';
import { deleteJob } from '../lifecycle/index.js';
import { FORCE, JOB_ID, perRidService } from './per-rid.js';

/** `jobdelete_<rid>.do(job_id, force=0)` → `[0, []]`; a running job only with force=1. */
export const jobdeleteService = (ctx: AgentContext) =>
  perRidService('jobdelete', ctx.rid, [JOB_ID, FORCE], async (args) => {
    await deleteJob(ctx, args.job_id, args.force === 1);
    return [];
  });
