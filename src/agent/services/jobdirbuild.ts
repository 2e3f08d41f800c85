import type { AgentContext } from '../context.js';
import { dirbuild } from '../lifecycle/index.js';
import { FORCE, JOB_ID, perRidService } from './per-rid.js';

/** `jobdirbuild_<rid>.do(job_id, force=0)` → `[0, []]`. */
export const jobdirbuildService = (ctx: AgentContext) =>
  perRidService('jobdirbuild', ctx.rid, [JOB_ID, FORCE], async (args) => {
    await dirbuild(ctx, args.job_id, args.force === 1);
    return [];
  });
