// The shapes the hub's API answers, as the SDK (and the dashboard) see them: types only,
// so code for the browser can take them too.
import type { z } from 'zod';
import type {
  calcPackage,
  dispatch,
  dispatchPreview,
  job,
  jobData,
  jobDetail,
  jobEvent,
  jobListQuery,
  jobStep,
  machine,
  project,
  projectFile,
  sweepResults,
} from '../api/schemas.js';

export type Project = z.output<typeof project>;
export type ProjectFile = z.output<typeof projectFile>;
export type CalcPackage = z.output<typeof calcPackage>;
export type Job = z.output<typeof job>;
export type JobStep = z.output<typeof jobStep>;
export type JobEvent = z.output<typeof jobEvent>;
export type Machine = z.output<typeof machine>;
export type JobData = z.output<typeof jobData>;
export type JobDetail = z.output<typeof jobDetail>;
/** The job list's filters and paging, as the SDK takes them. */
export type JobFilter = z.output<typeof jobListQuery>;

export type DispatchPreview = z.output<typeof dispatchPreview>;
export type Dispatch = z.output<typeof dispatch>;
export type SweepResults = z.output<typeof sweepResults>;
