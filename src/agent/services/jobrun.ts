import type { AgentContext } from '../context.js';
import { startRun } from '../lifecycle/index.js';
import { JOB_ID, perRidService } from './per-rid.js';

/**
 * `jobrun_<rid>.do(job_id, step=None)` → `[0, []]` as soon as the step has started;
 * `step="all"` runs the remaining steps in order.
 */
export const jobrunService = (ctx: AgentContext) =>
  perRidService(
    'jobrun',
    ctx.rid,
    [JOB_ID, { name: 'step', type: 'string', default: null }],
    async (args) => {
      await startRun(ctx, args.job_id, args.step);
      return [];
    },
  );
