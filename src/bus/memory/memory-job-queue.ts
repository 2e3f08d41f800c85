import type { JobQueue } from '../job-queue.js';

/** The in-process job queue of the embedded default: a FIFO of ids in memory. */
export function createMemoryJobQueue(): JobQueue {
  let ids: number[] = [];
  const listeners = new Set<() => void>();
  return {
    durable: false,
    enqueue(jobIds) {
      ids = ids.concat(jobIds);
      for (const listener of listeners) queueMicrotask(listener);
      return Promise.resolve();
    },
    take(max) {
      const taken = ids.slice(0, Math.max(0, max));
      ids = ids.slice(taken.length);
      return Promise.resolve(taken);
    },
    size: () => Promise.resolve(ids.length),
    onEnqueue(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    accepting() {
      // Ids wait here until an agent with a free slot takes them: nothing is held for one.
    },
  };
}
