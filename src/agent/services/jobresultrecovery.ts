import type { AgentContext } from '../context.js';
import { resultRecovery } from '../lifecycle/index.js';
import { JOB_ID, perRidService } from './per-rid.js';

/** `jobresultrecovery_<rid>.do(job_id)` → `[0, []]`: result files and outputs into the file store. */
export const jobresultrecoveryService = (ctx: AgentContext) =>
  perRidService('jobresultrecovery', ctx.rid, [JOB_ID], async (args) => {
    await resultRecovery(ctx, args.job_id);
    return [];
  });
