// The shapes the hub's API answers. Entities come from the API's own schemas (types
// only), so the dashboard follows them; the rest mirrors the routes' documented replies.
import type { z } from 'zod';
import type {
  calcPackage,
  job,
  jobEvent,
  jobStep,
  project,
  projectFile,
} from '../../../src/hub/api/schemas.js';
import type { JobState } from '../../../src/job/states.js';

export type { HubEvent } from '../../../src/hub/events/event-log.js';
export type { JobState } from '../../../src/job/states.js';

export type Project = z.output<typeof project>;
export type ProjectFile = z.output<typeof projectFile>;
export type CalcPackage = z.output<typeof calcPackage>;
export type Job = z.output<typeof job>;
export type JobStep = z.output<typeof jobStep>;
export type JobEvent = z.output<typeof jobEvent>;

/** A resource machine as `/api/machines` shows it; times in ms since the epoch. */
export interface Machine {
  readonly rid: number;
  readonly host: string;
  readonly slots: number;
  readonly slotsInUse: number;
  readonly lastHeartbeat: number;
  readonly alive: boolean;
  readonly runningJobs: readonly number[];
}

/** `jobgetdata`'s two sections: values, or URLs of files. */
export interface JobData {
  readonly process: Readonly<Record<string, string>>;
  readonly result: Readonly<Record<string, string>>;
}

/** `GET /api/jobs/{id}`. */
export interface JobDetail {
  readonly job: Job;
  readonly steps: readonly JobStep[];
  readonly events: readonly JobEvent[];
  readonly data: JobData;
}

/** The filters of `GET /api/jobs` (and of a bulk action's selector). */
export interface JobFilter {
  readonly state?: JobState;
  readonly project?: number;
  readonly package?: number;
  readonly dispatch?: number;
  readonly rid?: number;
  readonly label?: string;
}

export interface JobPage {
  readonly jobs: readonly Job[];
  /** The cursor of the following page; null on the last one. */
  readonly next: number | null;
}

/** What a dispatch would make, without making it. */
export interface DispatchPreview {
  readonly jobs: number;
  /** The parameters the para file's states vary. */
  readonly parameters: readonly string[];
  /** The first few jobs' labels. */
  readonly labels: readonly string[];
}

/** One dispatch of a project on a calc package; createdAt in ms since the epoch. */
export interface Dispatch {
  readonly id: number;
  readonly projectId: number;
  readonly packageId: number;
  readonly paraName: string;
  readonly jobCount: number;
  readonly createdAt: number;
}

/** One job of a sweep: its varied parameters and its Output scalars. */
export interface SweepRow {
  readonly jobId: number;
  readonly state: JobState;
  readonly label: string;
  readonly params: Readonly<Record<string, string>>;
  readonly outputs: Readonly<Record<string, string | number>>;
}

/** `GET /api/dispatches/{id}/results`. */
export interface SweepResults {
  readonly dispatch: Dispatch;
  readonly parameters: readonly string[];
  readonly outputs: readonly string[];
  readonly rows: readonly SweepRow[];
}

/** The numeric columns of a process file; the first column is the x axis. */
export interface Series {
  readonly key: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly number[])[];
}

/** A seed verb's reply: `[0, value]` or `[-1, message]`. */
export type SeedReply = readonly [number, unknown];
