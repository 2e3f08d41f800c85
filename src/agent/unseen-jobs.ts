/** How many times an id whose job cannot be seen yet goes back into the queue. */
const ATTEMPTS = 8;
/** The first wait before it does, ms; doubled at each attempt (about 13 s in all). */
const FIRST_WAIT_MS = 50;

/**
 * Job ids taken from the queue whose job the store does not show. Dispatch enqueues its
 * ids inside its transaction (so a dispatch whose ids cannot be queued commits nothing),
 * and a fast agent can take an id before that transaction has committed. Such an id goes
 * back into the queue after a short wait, a few times over, and is dropped only when its
 * job never shows up (the dispatch was rolled back, or the job deleted).
 */
export function createUnseenJobs(deps: {
  requeue: (ids: readonly number[]) => Promise<void>;
  log: (line: string) => void;
}): { retryLater(id: number): void; claimed(id: number): void; flush(): Promise<void> } {
  const attempts = new Map<number, number>();
  const waiting = new Map<number, ReturnType<typeof setTimeout>>();
  const requeue = (ids: number[]) =>
    deps.requeue(ids).catch((err: unknown) => {
      deps.log(`job ids ${ids.join(', ')}: could not be put back in the queue: ${(err as Error).message}`);
    });
  return {
    retryLater(id) {
      const done = attempts.get(id) ?? 0;
      if (done >= ATTEMPTS) {
        attempts.delete(id);
        deps.log(
          `job ${id}: taken from the queue but not in the store (deleted, or never committed); dropped`,
        );
        return;
      }
      attempts.set(id, done + 1);
      clearTimeout(waiting.get(id));
      waiting.set(
        id,
        setTimeout(
          () => {
            waiting.delete(id);
            void requeue([id]);
          },
          FIRST_WAIT_MS * 2 ** done,
        ),
      );
    },
    claimed(id) {
      attempts.delete(id);
    },
    /** Puts every id still waiting back into the queue now (the agent stops). */
    async flush() {
      const ids = [...waiting.keys()];
      for (const timer of waiting.values()) clearTimeout(timer);
      waiting.clear();
      if (ids.length > 0) await requeue(ids);
    },
  };
}
