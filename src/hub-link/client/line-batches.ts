import type { ProcessLines } from '../hub-link.js';

/** The most bytes of lines waiting to be sent; past it the oldest go (and are said skipped). */
export const MAX_PENDING_BYTES = 1024 * 1024;

/**
 * Process-file lines waiting for the hub, sent in batches one at a time. Lines are for
 * live watchers: while the hub is slow or away they wait, up to `maxBytes`; past it the
 * oldest are dropped and the next lines of the same file say how many bytes were skipped,
 * so an agent following a fast solver log holds a bounded amount, and so does the hub
 * that parses a batch.
 */
export function createLineBatches(
  send: (events: ProcessLines[]) => Promise<void>,
  maxBytes = MAX_PENDING_BYTES,
) {
  let pending: ProcessLines[] = [];
  let pendingBytes = 0;
  let inFlight: Promise<void> | undefined;

  // In bytes of the file, as `skipped` counts them.
  const sizeOf = (event: ProcessLines) =>
    event.lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
  const sameFile = (a: ProcessLines, b: ProcessLines) => a.jobId === b.jobId && a.key === b.key;

  /** Drops the oldest events until what waits fits, carrying their bytes to the next of their file. */
  const trim = () => {
    while (pendingBytes > maxBytes && pending.length > 1) {
      const [oldest] = pending.splice(0, 1);
      if (oldest === undefined) break;
      const size = sizeOf(oldest);
      pendingBytes -= size;
      const next = pending.findIndex((e) => sameFile(e, oldest));
      const carried = size + (oldest.skipped ?? 0);
      const into = pending[next];
      if (into !== undefined) pending[next] = { ...into, skipped: (into.skipped ?? 0) + carried };
    }
  };

  /** Sends what waits, unless a batch is on its way already (it is sent after that one). */
  const flush = (): Promise<void> => {
    if (inFlight !== undefined || pending.length === 0) return inFlight ?? Promise.resolve();
    const events = pending;
    pending = [];
    pendingBytes = 0;
    inFlight = send(events).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  return {
    add(event: ProcessLines): void {
      pending.push(event);
      pendingBytes += sizeOf(event);
      trim();
    },
    flush,
    /** Sends everything waiting: after the batch on its way, what came meanwhile. */
    async drain(): Promise<void> {
      await flush();
      await flush();
    },
    /** Bytes of lines waiting now. */
    pendingBytes: () => pendingBytes,
  };
}
