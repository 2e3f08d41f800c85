// The shapes the hub's API takes and answers, as the SDK (and the dashboard) see them:
// types only, derived from the routes' schemas (src/api), so code for the browser can
// take them too.
import type { z } from 'zod';
import type { Reply } from '../core/index.js';
import type {
  bulkAction,
  bulkOutcome,
  bulkRequest,
  dispatchList,
  dispatchListQuery,
  dispatchMade,
  dispatchRequest,
  jobCounts,
  jobCountsQuery,
  jobPage,
  jobSelector,
  machineList,
  packageList,
  projectList,
  projectWithFiles,
  uploadedFiles,
} from '../api/exchanges.js';
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
  series,
  sweepResults,
} from '../api/schemas.js';

export type Project = z.output<typeof project>;
export type ProjectFile = z.output<typeof projectFile>;
export type ProjectWithFiles = z.output<typeof projectWithFiles>;
export type ProjectList = z.output<typeof projectList>;
export type UploadedFiles = z.output<typeof uploadedFiles>;

export type CalcPackage = z.output<typeof calcPackage>;
export type PackageList = z.output<typeof packageList>;

export type Machine = z.output<typeof machine>;
export type MachineList = z.output<typeof machineList>;

export type Job = z.output<typeof job>;
export type JobStep = z.output<typeof jobStep>;
export type JobEvent = z.output<typeof jobEvent>;
export type JobData = z.output<typeof jobData>;
export type JobDetail = z.output<typeof jobDetail>;
/** The job list's filters and paging, as the SDK takes them. */
export type JobFilter = z.output<typeof jobListQuery>;
export type JobPage = z.output<typeof jobPage>;
export type JobCountsFilter = z.output<typeof jobCountsQuery>;
export type JobCounts = z.output<typeof jobCounts>;
/** A process file as numeric series: column names, rows (the first column is x). */
export type Series = z.output<typeof series>;

export type DispatchRequest = z.input<typeof dispatchRequest>;
export type DispatchMade = z.output<typeof dispatchMade>;
export type DispatchPreview = z.output<typeof dispatchPreview>;
export type Dispatch = z.output<typeof dispatch>;
export type DispatchFilter = z.output<typeof dispatchListQuery>;
export type DispatchList = z.output<typeof dispatchList>;
export type SweepResults = z.output<typeof sweepResults>;
/** One job of a sweep: its varied parameters and its Output scalars. */
export type SweepRow = SweepResults['rows'][number];

export type BulkAction = z.output<typeof bulkAction>;
export type JobSelector = z.output<typeof jobSelector>;
export type BulkRequest = z.input<typeof bulkRequest>;
export type BulkOutcome = z.output<typeof bulkOutcome>;

/** A seed verb's reply, as `/proxy` answers it: `[0, value]` or `[-1, message]`. */
export type SeedReply = Reply<unknown>;
