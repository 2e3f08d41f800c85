import { hostname } from 'node:os';
import { toMirrorError } from '../core/index.js';
import { jobsRoot } from '../run-dir/index.js';
import type { AgentContext } from './context.js';
import { settleReturnedRuns } from './returned-runs.js';

/**
 * The agent's heartbeat: renews this machine's lease on its jobs every
 * `timing.heartbeatMs`, one beat at a time. After a beat gets through, the jobs still
 * running here are checked against the store's verdict (a machine cut off for long may
 * have been declared lost meanwhile). A failing beat is said once, and its recovery.
 */
export function createHeartbeat(ctx: AgentContext) {
  let timer: ReturnType<typeof setInterval> | undefined;
  let failing = false;
  let pending: Promise<void> = Promise.resolve();

  const beat = () => {
    pending = pending.then(async () => {
      const report = {
        rid: ctx.rid,
        host: hostname(),
        slots: ctx.slots.total,
        slotsInUse: ctx.slots.inUse,
        jobsRoot: jobsRoot(ctx.config.workdir),
        executor: ctx.executor.kind,
        stepsOutliveAgent: ctx.executor.adopt !== undefined,
      };
      try {
        await ctx.hub.heartbeat(report);
      } catch (err) {
        if (!failing) ctx.log(`heartbeat failed, retrying: ${toMirrorError(err).message}`);
        failing = true;
        return;
      }
      if (failing) ctx.log('heartbeat through again');
      failing = false;
      await settleReturnedRuns(ctx).catch((err: unknown) => {
        ctx.log(`checking running jobs against the store failed: ${toMirrorError(err).message}`);
      });
    });
    return pending;
  };

  return {
    /** Beats once now (resolving when it is through or has failed), then every period. */
    async start(): Promise<void> {
      await beat();
      timer = setInterval(() => void beat(), ctx.config.timing.heartbeatMs);
    },
    /** No more beats; resolves when the one in progress has ended. */
    async stop(): Promise<void> {
      clearInterval(timer);
      await pending;
    },
  };
}
