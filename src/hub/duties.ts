import type { JobQueue } from '../bus/index.js';
import type { MirrorConfig } from '../config/index.js';
import type { FileStore } from '../file-store/index.js';
import type { Store } from '../store/index.js';
import { sweepLostAgents } from './lost-agents.js';
import { createRequeueDuty } from './requeue-duty.js';

/** The duties of a long-running hub, started together. */
export interface HubDuties {
  /** Ends them; resolves when a round in progress has ended. */
  stop(): Promise<void>;
}

/**
 * Starts the work of a long-running hub: refills an in-process queue with the store's
 * queued jobs (it starts empty), sweeps blobs no row refers to (in the background), and
 * every heartbeat period applies the lost-agent policy and the requeue duty, each under
 * its duty lock (one hub at a time on a shared database).
 */
export async function startDuties(deps: {
  readonly config: MirrorConfig;
  readonly store: Store;
  readonly queue: JobQueue;
  readonly fileStore: FileStore;
}): Promise<HubDuties> {
  const { config, store, queue, fileStore } = deps;
  let lostSweep: Promise<unknown> = Promise.resolve();
  // An in-process queue starts empty: jobs dispatched before a restart wait in the store.
  if (!queue.durable && (await queue.size()) === 0) {
    await queue.enqueue(await store.listQueuedJobIds(Number.MAX_SAFE_INTEGER));
  }
  // Blobs no row refers to (a refused upload, a deleted project or package) go now,
  // in the background; one written in the last minutes may be about to be recorded.
  const sweeping = fileStore
    .sweep(async (sha256) => (await store.getStoredFile(sha256)) !== undefined)
    .catch(() => 0);
  // Machines that fall silent: their jobs follow the lost-agent policy. Heartbeats
  // cannot be recorded while the store is away (or before this hub started), so
  // silence counts only from when they could have been.
  let listeningSince = Date.now();
  let storeFailed = false;
  // Requeued ids the queue did not take yet (the broker away): sent again next round.
  let unsent: number[] = [];
  // Jobs queued for long whose message may be gone, looked for a few times per period.
  const requeue = createRequeueDuty({ requeueAfterMs: config.timing.requeueAfterMs });
  const requeueEveryMs = Math.min(config.timing.requeueAfterMs / 4, 60_000);
  let requeueLooked = 0;
  const requeueOverdue = async (): Promise<number[]> => {
    if (Date.now() - requeueLooked < requeueEveryMs) return [];
    requeueLooked = Date.now();
    return store
      .transaction(async (tx) => ((await tx.tryHoldDuty('requeue')) ? requeue.due(tx) : []))
      .catch(() => []);
  };
  const watching = setInterval(() => {
    // One hub at a time on a shared database: the duty's lock is held by the sweep's transaction.
    lostSweep = lostSweep
      .then(async () => {
        const { requeued } = await store
          .transaction(async (tx) => {
            if (!(await tx.tryHoldDuty('lost-agents'))) return { requeued: [] };
            if (storeFailed) listeningSince = Date.now();
            storeFailed = false;
            const lostAfterMs = config.timing.agentLostMs;
            return sweepLostAgents({ store: tx, lostAfterMs, listeningSince });
          })
          .catch(() => {
            storeFailed = true;
            return { requeued: [] };
          });
        const ids = [...unsent, ...requeued, ...(await requeueOverdue())];
        unsent = [];
        if (ids.length > 0) await queue.enqueue(ids).catch(() => (unsent = ids));
      })
      .catch(() => undefined);
  }, config.timing.heartbeatMs);
  return {
    async stop() {
      clearInterval(watching);
      await lostSweep;
      await sweeping;
    },
  };
}
