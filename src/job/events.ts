import type { JobState } from './states.js';

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
      /** Bytes of the file skipped before these lines (it grew faster than watchers are sent). */
      readonly skipped?: number;
    };

export type HubEvent = HubEventBody & { readonly id: number; readonly at: number };

export interface EventFilter {
  readonly jobId?: number;
  readonly projectId?: number;
}

/** True when an event passes a watcher's filter. */
export function matches(
  event: { readonly jobId: number; readonly projectId: number },
  filter: EventFilter = {},
): boolean {
  return (
    (filter.jobId === undefined || event.jobId === filter.jobId) &&
    (filter.projectId === undefined || event.projectId === filter.projectId)
  );
}
