// The shapes the hub's API answers, as the SDK (and the dashboard) see them: types only,
// so code for the browser can take them too.
import type { z } from 'zod';
import type { calcPackage, job, jobEvent, jobStep, project, projectFile } from '../api/schemas.js';
import type { JobState } from '../job/index.js';

export type Project = z.output<typeof project>;
export type ProjectFile = z.output<typeof projectFile>;
export type CalcPackage = z.output<typeof calcPackage>;
export type Job = z.output<typeof job>;
export type JobStep = z.output<typeof jobStep>;
export type JobEvent = z.output<typeof jobEvent>;
export interface Machine {
  readonly rid: number;
  readonly host: string;
  readonly slots: number;
  readonly slotsInUse: number;
  readonly lastHeartbeat: number;
  readonly jobsRoot: string;
  readonly alive: boolean;
  readonly runningJobs: number[];
}
export interface JobData {
  readonly process: Record<string, string>;
  readonly result: Record<string, string>;
}
export interface JobDetail {
  readonly job: Job;
  readonly steps: JobStep[];
  readonly events: JobEvent[];
  readonly data: JobData;
}
export interface JobFilter {
  readonly state?: JobState;
  readonly project?: number;
  readonly package?: number;
  readonly dispatch?: number;
  readonly rid?: number;
  readonly label?: string;
  readonly order?: 'newest' | 'oldest';
  readonly cursor?: number;
  readonly limit?: number;
}

export interface DispatchPreview {
  readonly jobs: number;
  /** The parameters whose values differ between the states. */
  readonly parameters: string[];
  /** The first labels (at most 20). */
  readonly labels: string[];
}
export interface Dispatch {
  readonly id: number;
  readonly projectId: number;
  readonly packageId: number;
  readonly paraName: string;
  readonly jobCount: number;
  readonly createdAt: number;
}
export interface SweepResults {
  readonly dispatch: Dispatch;
  readonly parameters: string[];
  readonly outputs: string[];
  readonly rows: {
    readonly jobId: number;
    readonly state: JobState;
    readonly label: string;
    readonly params: Record<string, string>;
    readonly outputs: Record<string, string>;
  }[];
}
