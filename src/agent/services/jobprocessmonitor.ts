import type { AgentContext } from '../context.js';
import { processMonitor } from '../lifecycle/index.js';
import { JOB_ID, perRidService } from './per-rid.js';

/** `jobprocessmonitor_<rid>.do(job_id)` → `[0, []]`: refreshes progress and process items. */
export const jobprocessmonitorService = (ctx: AgentContext) =>
  perRidService('jobprocessmonitor', ctx.rid, [JOB_ID], async (args) => {
    await processMonitor(ctx, args.job_id);
    return [];
  });
