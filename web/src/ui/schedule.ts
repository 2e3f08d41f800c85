/**
 * Runs `fn` at most once per `ms`: a call while it waits is folded into one run at the
 * end of the wait (live events arrive in bursts; the page reloads once for each burst).
 * Answers the trigger and a cancel for when the page closes.
 */
export function coalesce(fn: () => Promise<void> | void, ms: number): { trigger(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let cancelled = false;
  return {
    trigger() {
      if (timer !== undefined || cancelled) return;
      timer = setTimeout(() => {
        timer = undefined;
        if (!cancelled) void Promise.resolve(fn()).catch(() => {});
      }, ms);
    },
    cancel() {
      cancelled = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

/** Calls `fn` now and every `ms` until the answered function is called; runs never overlap. */
export function every(ms: number, fn: () => Promise<void>): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    await fn().catch(() => {});
    if (!stopped) timer = setTimeout(() => void tick(), ms);
  };
  void tick();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}
