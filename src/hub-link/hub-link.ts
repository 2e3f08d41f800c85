import type {
  CalcPackage,
  Job,
  JobStep,
  JobTransition,
  Machine,
  NewJobItem,
  ProjectFile,
  StepPatch,
} from '../store/index.js';
import type { HubEventBody, JobState } from '../job/index.js';

/** What an agent says of its resource machine at each heartbeat. */
export type MachineReport = Omit<Machine, 'lastHeartbeat'>;

/** Lines appended to one of a job's process files, for the hub's watchers (a `line` event). */
export type ProcessLines = Extract<HubEventBody, { readonly type: 'line' }>;

/**
 * The hub as an agent sees it: everything an agent reads from the control plane or
 * tells it. Two kinds: in the hub's own process (the embedded default: the store and
 * the file store directly) and remote (a `mirror agent` on another host, through the
 * hub's HTTP address only, with no database access).
 */
export interface HubLink {
  /**
   * True when the hub reads this machine's run directories itself (same host and
   * process), so it serves process files live from them; otherwise monitoring stores
   * them in the hub's file store as it goes.
   */
  readonly seesRunDirs: boolean;

  getJob(jobId: number): Promise<Job | undefined>;
  /** A conditional state change (see `Store.transitionJob`): the changed job, or undefined. */
  transitionJob(jobId: number, t: JobTransition): Promise<Job | undefined>;
  listJobsOnRid(rid: number, states: readonly JobState[]): Promise<Job[]>;
  listJobSteps(jobId: number): Promise<JobStep[]>;
  resetJobSteps(jobId: number, steps: readonly { stepId: string; priority: number }[]): Promise<void>;
  updateJobStep(jobId: number, stepId: string, patch: StepPatch): Promise<void>;
  /**
   * Inserts or replaces a job's items. A file item's blob must be in the hub's file
   * store already (`putFile`); a blob no item refers to any more is forgotten.
   */
  putJobItems(jobId: number, items: readonly NewJobItem[]): Promise<void>;
  /** Deletes the job's rows (steps, events, items) and the stored files only it referred to. */
  deleteJobRecords(jobId: number): Promise<void>;

  getCalcPackage(packageId: number): Promise<CalcPackage | undefined>;
  listProjectFiles(projectId: number): Promise<ProjectFile[]>;
  /** A local path holding the blob with this sha256 (fetched and verified if it must be). */
  blobPath(sha256: string): Promise<string>;
  /** Puts a local file into the hub's file store; answers its sha256 and size. */
  putFile(path: string): Promise<{ sha256: string; size: number }>;

  /** Renews this machine's lease on its jobs and says how it stands. */
  heartbeat(report: MachineReport): Promise<void>;
  /** Passes lines of process files on to the hub's watchers; never throws, never waits. */
  publishLines(event: ProcessLines): void;
  /** Sends what is still buffered and lets go of connections. Idempotent. */
  close(): Promise<void>;
}
