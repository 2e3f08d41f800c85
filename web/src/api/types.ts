// The shapes the hub's API answers: the SDK's types (types only), so the dashboard
// follows the API; the rest mirrors the routes' documented replies.
import type { JobFilter as ClientJobFilter, Job, SweepResults } from '../../../src/sdk/types.js';

export type {
  CalcPackage,
  Dispatch,
  DispatchPreview,
  Job,
  JobData,
  JobDetail,
  JobEvent,
  JobStep,
  Machine,
  Project,
  ProjectFile,
  SweepResults,
} from '../../../src/sdk/types.js';
export type { HubEvent } from '../../../src/job/events.js';
export type { JobState } from '../../../src/job/states.js';

/** The filters of `GET /api/jobs` (and of a bulk action's selector). */
export type JobFilter = Omit<ClientJobFilter, 'order' | 'cursor' | 'limit'>;

export interface JobPage {
  readonly jobs: readonly Job[];
  /** The cursor of the following page; null on the last one. */
  readonly next: number | null;
}

/** One job of a sweep: its varied parameters and its Output scalars. */
export type SweepRow = SweepResults['rows'][number];

/** The numeric columns of a process file; the first column is the x axis. */
export interface Series {
  readonly key: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly number[])[];
}

/** A seed verb's reply: `[0, value]` or `[-1, message]`. */
export type SeedReply = readonly [number, unknown];
