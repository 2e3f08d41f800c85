import type { StoreOps } from '../store/index.js';

/** The most jobs one round of the duty looks at (the oldest queued first). */
const ROUND_LIMIT = 10_000;

/** Waits between sending one job again grow this many times, up to this many doublings. */
const GROWTH = 2;
const MAX_DOUBLINGS = 10;

/**
 * The requeue duty: a job still queued `requeueAfterMs` after it was queued may have lost
 * its queue message (an agent acked it and died before its claim committed; a hub
 * stopped between a requeue's commit and its enqueue), and nothing else would ever run
 * it on a durable queue. Its id is enqueued again; a duplicate is harmless, since a job
 * is claimed once whatever number of ids name it. A job sent again waits twice as long
 * before the next time, so the jobs of a long sweep waiting their turn are not sent
 * again at every round. What it sent is kept by the hub holding the duty (another hub
 * taking over starts afresh, at worst sending some once more).
 */
export function createRequeueDuty(deps: { requeueAfterMs: number; now?: () => number }) {
  const now = deps.now ?? Date.now;
  /** Jobs sent again: when last, and how many times. */
  const sent = new Map<number, { at: number; times: number }>();
  return {
    /** The ids to enqueue again now (the caller enqueues them). */
    async due(store: Pick<StoreOps, 'listQueuedJobIds'>): Promise<number[]> {
      const at = now();
      const overdue = await store.listQueuedJobIds(ROUND_LIMIT, at - deps.requeueAfterMs);
      // Jobs no longer queued (or queued anew since) are forgotten.
      if (overdue.length < ROUND_LIMIT) {
        const still = new Set(overdue);
        for (const id of sent.keys()) if (!still.has(id)) sent.delete(id);
      }
      const due: number[] = [];
      for (const id of overdue) {
        const last = sent.get(id);
        const wait = deps.requeueAfterMs * GROWTH ** Math.min(last?.times ?? 0, MAX_DOUBLINGS);
        if (last !== undefined && at - last.at < wait) continue;
        sent.set(id, { at, times: (last?.times ?? 0) + 1 });
        due.push(id);
      }
      return due;
    },
  };
}
