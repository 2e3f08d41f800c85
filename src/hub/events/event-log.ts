import type { JobState } from '../../job/index.js';

/**
 * What the hub tells watchers, as it happens:
 * - state:    a job moved to another state (with the reason);
 * - progress: a job's currentstep / allstep changed;
 * - line:     lines appended to one of a job's process files.
 * Every event has an id that grows by one, so a watcher resumes after the last it saw.
 */
export type HubEventBody =
  | {
      readonly type: 'state';
      readonly jobId: number;
      readonly projectId: number;
      readonly state: JobState;
      /** The resource machine it is on now (null while queued). */
      readonly rid: number | null;
      readonly reason: string;
    }
  | {
      readonly type: 'progress';
      readonly jobId: number;
      readonly projectId: number;
      readonly currentstep: string;
      readonly allstep: string;
    }
  | {
      readonly type: 'line';
      readonly jobId: number;
      readonly projectId: number;
      readonly key: string;
      readonly lines: readonly string[];
    };

export type HubEvent = HubEventBody & { readonly id: number; readonly at: number };

export interface EventFilter {
  readonly jobId?: number;
  readonly projectId?: number;
}

export interface EventLog {
  publish(event: HubEventBody): HubEvent;
  /** Events after `id` still held (the newest `capacity`), matching the filter, oldest first. */
  since(id: number, filter?: EventFilter): HubEvent[];
  /** Calls `listener` with every event published from now on; returns the unsubscribe. */
  subscribe(listener: (event: HubEvent) => void): () => void;
}

/** True when an event passes a watcher's filter. */
export function matches(event: HubEvent, filter: EventFilter = {}): boolean {
  return (
    (filter.jobId === undefined || event.jobId === filter.jobId) &&
    (filter.projectId === undefined || event.projectId === filter.projectId)
  );
}

/** An in-memory event log keeping the newest `capacity` events for resuming watchers. */
export function createEventLog(capacity = 10_000): EventLog {
  const held: HubEvent[] = [];
  const listeners = new Set<(event: HubEvent) => void>();
  let lastId = 0;
  return {
    publish(body) {
      const event: HubEvent = { ...body, id: ++lastId, at: Date.now() };
      held.push(event);
      // Trimmed in batches: dropping the oldest event one at a time moved the whole
      // array at every publish once it was full (a 10,000-job dispatch spent seconds here).
      if (held.length >= 2 * capacity) held.splice(0, held.length - capacity);
      for (const listener of listeners) listener(event);
      return event;
    },
    since(id, filter) {
      // Only the newest `capacity` count as held, whatever waits for the next trim.
      const oldest = Math.max(0, held.length - capacity);
      const first = held.findIndex((e, i) => i >= oldest && e.id > id);
      return first === -1 ? [] : held.slice(first).filter((e) => matches(e, filter));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
