import type { JobState } from '../job/index.js';

/**
 * The store: Mirror's durable state behind one narrow interface, with an SQLite
 * backend (embedded default) and a PostgreSQL one (scaled out). Code asks
 * `capabilities`, never which backend it has.
 *
 * Glossary of the rows:
 * - StoredFile:   a blob in the file store, addressed by its sha256 (content lives on disk).
 * - Project:      a name and a set of named files (ProjectFile -> StoredFile).
 * - CalcPackage:  a registered calc package: its canonical zip (a StoredFile) and parsed adapter.
 * - Dispatch:     one `jobdispatch.do` call: project, calc package, para file, its jobs.
 * - Job:          one state of one dispatch; `params` is the full parameter set.
 * - JobStep:      one step record of a job (status, times, exit code or signal, reason, log).
 * - JobEvent:     one state transition of a job (time, from, to, reason).
 * All times are milliseconds since the epoch.
 */
export interface StoreCapabilities {
  /** Session-level advisory locks exist (PostgreSQL), so several hubs can elect one for a duty. */
  readonly advisoryLocks: boolean;
  /** Several processes may write concurrently over the network (PostgreSQL). */
  readonly sharedAcrossHosts: boolean;
}

export interface StoredFile {
  readonly sha256: string;
  readonly size: number;
  readonly createdAt: number;
}

export interface Project {
  readonly id: number;
  readonly name: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface ProjectFile {
  readonly projectId: number;
  /** Relative, `/`-separated path within the project. */
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly updatedAt: number;
}

export interface CalcPackage {
  readonly id: number;
  readonly name: string;
  readonly version: string;
  /** sha256 of the canonical zip in the file store. */
  readonly sha256: string;
  readonly size: number;
  /** The parsed adapter, as JSON (see calc-package's Adapter type). */
  readonly adapter: unknown;
  readonly createdAt: number;
}

export interface Dispatch {
  readonly id: number;
  readonly projectId: number;
  readonly packageId: number;
  readonly paraName: string;
  readonly jobCount: number;
  readonly createdAt: number;
}

export interface Job {
  readonly id: number;
  readonly dispatchId: number;
  readonly projectId: number;
  readonly packageId: number;
  readonly paraName: string;
  readonly stateIndex: number;
  readonly label: string;
  readonly params: Readonly<Record<string, string>>;
  readonly rid: number | null;
  readonly state: JobState;
  /** The run directory, once built (absolute, on the resource machine). */
  readonly path: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface NewJob {
  readonly stateIndex: number;
  readonly label: string;
  readonly params: Readonly<Record<string, string>>;
}

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'killed';

export interface JobStep {
  readonly jobId: number;
  readonly stepId: string;
  readonly priority: number;
  readonly status: StepStatus;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly reason: string | null;
  readonly logPath: string | null;
  /** Its batch job's id, when a batch scheduler ran it (the Slurm executor). */
  readonly batchId: string | null;
  /** That batch job's state as last seen: `PENDING (Resources)`, `RUNNING`, `COMPLETED`. */
  readonly batchState: string | null;
}

export interface JobEvent {
  readonly id: number;
  readonly jobId: number;
  readonly at: number;
  readonly from: JobState | null;
  readonly to: JobState;
  readonly reason: string;
}

export interface JobFilter {
  readonly projectId?: number;
  readonly packageId?: number;
  readonly dispatchId?: number;
  readonly state?: JobState;
  readonly rid?: number;
  readonly label?: string;
  /** Keyset paging: only jobs with id below this (newest first). */
  readonly beforeId?: number;
  /** Keyset paging, oldest first: only jobs with id above this. */
  readonly afterId?: number;
  /** `desc` (default): newest first; `asc`: oldest first. */
  readonly order?: 'asc' | 'desc';
  /** Page size; default 50. */
  readonly limit?: number;
}

/** What `dispatch` inserts: one dispatch row and its jobs, in state order. */
export interface NewDispatch {
  readonly projectId: number;
  readonly packageId: number;
  readonly paraName: string;
  readonly jobs: readonly NewJob[];
}

export interface DispatchResult {
  readonly dispatchId: number;
  /** Ids of the new jobs, ascending, in the order of `NewDispatch.jobs`. */
  readonly jobIds: readonly number[];
}

/**
 * One item of a job's data, as `jobgetdata` shows it: under `process` or `result`,
 * either a scalar `value` or a file (`value` is then its path relative to the run
 * directory; `sha256` is set once the file is stored in the file store).
 */
export interface JobItem {
  readonly jobId: number;
  readonly section: 'process' | 'result';
  readonly key: string;
  readonly kind: 'value' | 'file';
  readonly value: string;
  readonly sha256: string | null;
  readonly size: number | null;
  readonly updatedAt: number;
}

export type NewJobItem = Omit<JobItem, 'jobId' | 'updatedAt'>;

/** A conditional state change: applied only while the job is in one of `from`. */
export interface JobTransition {
  readonly from: readonly JobState[];
  readonly to: JobState;
  /** Why, for the event row: `claimed by rid 1`, `step solve exited with code 2`. */
  readonly reason: string;
  /** Also set the job's run directory (dirbuild). */
  readonly path?: string | null;
  /** Also set the job's rid (claim); null clears it (requeue). */
  readonly rid?: number | null;
  /**
   * Applied only while the job is on this resource machine: an agent's changes carry
   * its rid, so one that was cut off and comes back never moves a job that was requeued
   * and claimed by another machine meanwhile.
   */
  readonly onRid?: number;
}

/** A resource machine as its agent last reported it (its heartbeat is the lease on its jobs). */
export interface Machine {
  readonly rid: number;
  readonly host: string;
  readonly slots: number;
  readonly slotsInUse: number;
  /** Time of the last heartbeat, ms since the epoch. */
  readonly lastHeartbeat: number;
  /** The absolute directory its run directories are made in (`<workdir>/jobs`). */
  readonly jobsRoot: string;
  /** How its agent runs steps: `local`, `slurm`. */
  readonly executor: string;
  /** Its steps go on when its agent is gone (batch jobs of a cluster), to be adopted when it returns. */
  readonly stepsOutliveAgent: boolean;
}

export type StepPatch = Partial<Omit<JobStep, 'jobId' | 'stepId' | 'priority'>>;

/** The operations on the store, the same inside and outside a transaction. */
export interface StoreOps {
  // stored files (metadata of file store blobs)
  recordStoredFile(file: { sha256: string; size: number }): Promise<void>;
  getStoredFile(sha256: string): Promise<StoredFile | undefined>;
  /** Deletes the row when nothing refers to the blob any more; answers whether it did. */
  forgetStoredFileIfUnused(sha256: string): Promise<boolean>;

  // projects and their files
  createProject(
    name: string,
    files: readonly { name: string; sha256: string; size: number }[],
  ): Promise<Project>;
  getProject(id: number): Promise<Project | undefined>;
  listProjects(): Promise<Project[]>;
  /** Deletes the project and its file rows (not its jobs' rows); answers whether it existed. */
  deleteProject(id: number): Promise<boolean>;
  /** Adds a file or replaces the file of that name. */
  putProjectFile(projectId: number, file: { name: string; sha256: string; size: number }): Promise<void>;
  deleteProjectFile(projectId: number, name: string): Promise<boolean>;
  listProjectFiles(projectId: number): Promise<ProjectFile[]>;
  getProjectFile(projectId: number, name: string): Promise<ProjectFile | undefined>;

  // calc packages
  insertCalcPackage(p: {
    name: string;
    version: string;
    sha256: string;
    size: number;
    adapter: unknown;
  }): Promise<CalcPackage>;
  getCalcPackage(id: number): Promise<CalcPackage | undefined>;
  listCalcPackages(): Promise<CalcPackage[]>;
  deleteCalcPackage(id: number): Promise<boolean>;

  // dispatch and jobs
  /** Inserts a dispatch and its jobs (state `queued`, one `queued` event each) in batches. */
  insertDispatch(d: NewDispatch): Promise<DispatchResult>;
  getDispatch(id: number): Promise<Dispatch | undefined>;
  getJob(id: number): Promise<Job | undefined>;
  listJobs(filter?: JobFilter): Promise<Job[]>;
  countJobs(filter?: Omit<JobFilter, 'beforeId' | 'afterId' | 'order' | 'limit'>): Promise<number>;
  /** How many jobs are in each state (states with none are absent), of a project or dispatch or all. */
  countJobsByState(filter?: {
    readonly projectId?: number;
    readonly dispatchId?: number;
  }): Promise<Partial<Record<JobState, number>>>;
  /** Dispatches, newest first, of one project or all; at most `limit` (default 100). */
  listDispatches(filter?: { readonly projectId?: number; readonly limit?: number }): Promise<Dispatch[]>;
  /** The scalar items of one section of every job of a dispatch, by job id ascending. */
  listDispatchValues(
    dispatchId: number,
    section: 'process' | 'result',
  ): Promise<{ jobId: number; key: string; value: string }[]>;
  listJobEvents(jobId: number): Promise<JobEvent[]>;
  listJobSteps(jobId: number): Promise<JobStep[]>;

  // the lifecycle
  /**
   * Moves a job from one of `t.from` to `t.to` in one atomic conditional update, writing
   * the event row (from, to, reason, time) with it. Answers the updated job, or
   * undefined when the job does not exist or is in none of `t.from` (nothing changed).
   */
  transitionJob(jobId: number, t: JobTransition): Promise<Job | undefined>;
  /** Jobs on a resource machine in the given states, oldest first. */
  listJobsOnRid(rid: number, states: readonly JobState[]): Promise<Job[]>;
  /**
   * Ids of jobs in `queued`, oldest first (to refill an in-process queue on start); with
   * `queuedBefore` (ms since the epoch), only those queued (last changed) before then.
   */
  listQueuedJobIds(limit: number, queuedBefore?: number): Promise<number[]>;
  /** Replaces a job's parameters, writing an event with the reason (refused upstream while running). */
  updateJobParams(jobId: number, params: Readonly<Record<string, string>>, reason: string): Promise<void>;
  /** Deletes the job's row and with it its steps, events and items; answers whether it existed. */
  deleteJob(jobId: number): Promise<boolean>;

  /** Replaces all step records of a job with the given steps, each `pending`. */
  resetJobSteps(jobId: number, steps: readonly { stepId: string; priority: number }[]): Promise<void>;
  /** Changes some fields of one step record. */
  updateJobStep(jobId: number, stepId: string, patch: StepPatch): Promise<void>;

  /**
   * Inside `transaction(fn)`: true when this transaction now holds the named duty (a
   * background job one hub at a time should do, such as sweeping lost agents) until it
   * ends; false when another hub's transaction holds it. Always true where one process
   * owns the store.
   */
  tryHoldDuty(duty: string): Promise<boolean>;
  /** Inserts or replaces items by (section, key). */
  putJobItems(jobId: number, items: readonly NewJobItem[]): Promise<void>;
  listJobItems(jobId: number): Promise<JobItem[]>;
  /** Deletes a job's items (of one section, or all); answers the sha256s they referred to. */
  deleteJobItems(jobId: number, section?: 'process' | 'result'): Promise<string[]>;

  // resource machines
  /** Records a heartbeat: inserts the machine or replaces what it last reported. */
  recordHeartbeat(machine: Machine): Promise<void>;
  /** Every machine ever heard from, by rid. */
  listMachines(): Promise<Machine[]>;
}

export interface Store extends StoreOps {
  readonly capabilities: StoreCapabilities;
  /**
   * Runs `fn` in one transaction: everything it does commits together or not at all.
   * If `fn` throws, the transaction is rolled back and the error rethrown.
   */
  transaction<T>(fn: (tx: StoreOps) => Promise<T>): Promise<T>;
  /** Closes the connection(s). Idempotent. */
  close(): Promise<void>;
}
