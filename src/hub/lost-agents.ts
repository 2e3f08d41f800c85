import { MOVES } from '../job/index.js';
import type { StoreOps } from '../store/index.js';

/**
 * The lost-agent policy, applied to the jobs of a resource machine that has been silent
 * longer than `timing.agentLostMs`:
 * - claimed but not running (assigned, built, ready): requeued — unclaimed, back in the
 *   queue for any machine (nothing of them ran);
 * - running: `lost` — a step may still be running there, so it is not started elsewhere;
 *   rerun it on purpose once you know. Except on a machine whose steps outlive its agent
 *   (batch jobs of a cluster): those run on, and the agent adopts them when it returns, so
 *   its running jobs stay `running` (the machine shows not alive) until it does or an
 *   operator acts.
 * Answers the ids it changed and, of those, the ones to enqueue again — by the caller,
 * once the change is committed (an agent taking the id sooner would find the job still
 * claimed). Each job moves by a conditional update, so a machine that comes back and a
 * sweep racing it never both act on one job.
 */
export async function sweepLostAgents(deps: {
  store: StoreOps;
  lostAfterMs: number;
  /**
   * Since when this hub could have heard every heartbeat (it started, or its store
   * answered again): silence before that is not the agent's.
   */
  listeningSince?: number;
  now?: () => number;
}): Promise<{ changed: number[]; requeued: number[] }> {
  const now = (deps.now ?? Date.now)();
  const heardUntil = (m: { lastHeartbeat: number }) => Math.max(m.lastHeartbeat, deps.listeningSince ?? 0);
  const silent = (await deps.store.listMachines()).filter((m) => now - heardUntil(m) > deps.lostAfterMs);
  const changed: number[] = [];
  const requeued: number[] = [];
  for (const machine of silent) {
    const reason = `agent lost: rid ${machine.rid} silent since ${new Date(machine.lastHeartbeat).toISOString()}`;
    for (const job of await deps.store.listJobsOnRid(machine.rid, MOVES.lose.from)) {
      const requeue = job.state !== 'running';
      if (!requeue && machine.stepsOutliveAgent) continue;
      const moved = await deps.store.transitionJob(job.id, {
        from: [job.state],
        to: requeue ? MOVES.requeue.to : MOVES.lose.to,
        reason,
        ...(requeue ? { rid: null } : {}),
      });
      if (!moved) continue;
      if (requeue) requeued.push(job.id);
      changed.push(job.id);
    }
  }
  return { changed, requeued };
}
