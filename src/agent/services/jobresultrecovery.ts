import type { AgentContext } from '../context.js';
import { recover } from '../lifecycle/recover.js';
import { JOB_ID, perRidService } from './per-rid.js';

/** `jobresultrecovery_<rid>.do(job_id)` → `[0, []]`: result files and outputs into the file store. */
export const jobresultrecoveryService = (ctx: AgentContext) =>
  perRidService('jobresultrecovery', ctx.rid, [JOB_ID], async (args) => {
    await recover(ctx, args['job_id'] as number);
    return [];
  });
