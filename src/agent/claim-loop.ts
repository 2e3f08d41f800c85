import type { JobQueue } from '../bus/index.js';
import { toMirrorError } from '../core/index.js';
import { MOVES } from '../job/index.js';
import { drive } from './autorun.js';
import type { AgentContext } from './context.js';
import type { createUnseenJobs } from './unseen-jobs.js';

/**
 * The agent's claim loop: takes job ids from the queue and claims their jobs. With
 * autorun, as many as there are free slots (each driven at once, `resumable` ones
 * first), and none is held while they are all busy; without, every one (a claimed job
 * waiting for manual calls costs nothing). Runs while open; `drained` waits for the jobs
 * it drives.
 */
export function createClaimLoop(deps: {
  readonly ctx: AgentContext;
  readonly queue: JobQueue;
  readonly unseen: ReturnType<typeof createUnseenJobs>;
  /** Claimed jobs a previous run of this agent left (reconcile), driven first. */
  readonly resumable: number[];
}) {
  const { ctx, queue, unseen, resumable } = deps;
  const { autorun } = ctx.config;
  const driving = new Set<Promise<void>>();
  let open = false;
  let pumping = false;
  let again = false;

  /** Drives a claimed job in autorun under a slot taken by the caller. */
  const launch = (jobId: number) => {
    const driven = drive(ctx, jobId).finally(() => {
      ctx.slots.release();
      driving.delete(driven);
      if (open) queue.accepting(true);
      void pump();
    });
    driving.add(driven);
  };

  /**
   * Claims a job taken from the queue: answers false when another machine has it (or it
   * is gone). When the hub cannot be asked, the id goes back into the queue, not lost.
   */
  async function claim(id: number): Promise<boolean> {
    try {
      // Dispatch enqueues inside its transaction: an id may arrive before its job is
      // committed. Not there yet: back into the queue in a moment. Committed meanwhile
      // (still queued): claimed again at once. Anything else: another machine has it.
      for (let attempt = 0; attempt < 3; attempt++) {
        const claimed = await ctx.hub.transitionJob(id, {
          ...MOVES.claim,
          reason: `claimed by rid ${ctx.rid}`,
          rid: ctx.rid,
        });
        if (claimed) {
          unseen.claimed(id);
          return true;
        }
        const job = await ctx.hub.getJob(id);
        if (job === undefined) unseen.retryLater(id);
        if (job?.state !== 'queued') return false;
      }
      unseen.retryLater(id);
      return false;
    } catch (err) {
      ctx.log(`job ${id}: could not be claimed (${toMirrorError(err).message}); back in the queue`);
      await queue.enqueue([id]).catch((e: unknown) => {
        ctx.log(`job ${id}: could not be put back in the queue either: ${toMirrorError(e).message}`);
      });
      return false;
    }
  }

  /** Claims what it can now; a call while one runs makes that one go round again. */
  async function pump(): Promise<void> {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        while (open) {
          if (autorun && !ctx.slots.tryTake()) {
            // Every slot busy: queued jobs are left to machines that can start them.
            queue.accepting(false);
            break;
          }
          const resumed = autorun ? resumable.shift() : undefined;
          if (resumed !== undefined) {
            launch(resumed);
            continue;
          }
          const [id] = await queue.take(1).catch((err: unknown) => {
            if (autorun) ctx.slots.release();
            throw err;
          });
          if (id === undefined) {
            if (autorun) ctx.slots.release();
            break;
          }
          const claimed = await claim(id);
          if (!claimed) {
            if (autorun) ctx.slots.release();
            continue;
          }
          if (autorun) launch(id);
        }
      } while (again && open);
    } catch (err) {
      // The queue itself failed (its connection dropped): the next delivery pumps again.
      ctx.log(`taking jobs from the queue failed: ${toMirrorError(err).message}`);
    } finally {
      pumping = false;
    }
  }

  let unsubscribe = () => {};
  return {
    /** Claims from now on, at every delivery; resolves after a first round. */
    async open(): Promise<void> {
      open = true;
      unsubscribe = queue.onEnqueue(() => void pump());
      await pump();
    },
    /** Claims nothing more (the jobs it drives run on). */
    close(): void {
      open = false;
      unsubscribe();
    },
    /** Resolves when every job it drives has ended. */
    drained: (): Promise<unknown> => Promise.all([...driving]),
  };
}
