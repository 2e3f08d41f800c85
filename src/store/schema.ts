import type { Generated } from 'kysely';
import type { JobState } from '../job/index.js';
import type { JobItem, StepStatus } from './store.js';

/**
 * The tables as Kysely sees them: column names as in SQL (snake_case), values as
 * JavaScript reads them back from either engine. Times are integers, milliseconds
 * since the epoch (PostgreSQL `bigint`, parsed to a number by the pool's own type
 * parser); `params` and `adapter` are JSON text. `Generated` marks identity ids.
 *
 * References without a foreign key, on purpose: `dispatches` and `jobs` name their
 * project and calc package by id only, so deleting either keeps the jobs' history;
 * `jobs.dispatch_id` neither (the two are written in one transaction). A project's
 * files, and a job's steps, events and items, go with it (foreign keys with cascade).
 */
export interface Database {
  stored_files: StoredFilesTable;
  projects: ProjectsTable;
  project_files: ProjectFilesTable;
  calc_packages: CalcPackagesTable;
  dispatches: DispatchesTable;
  jobs: JobsTable;
  job_steps: JobStepsTable;
  job_events: JobEventsTable;
  job_items: JobItemsTable;
  machines: MachinesTable;
}

export interface StoredFilesTable {
  sha256: string;
  /** Bytes. */
  size: number;
  created_at: number;
}

export interface ProjectsTable {
  id: Generated<number>;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface ProjectFilesTable {
  project_id: number;
  name: string;
  sha256: string;
  size: number;
  updated_at: number;
}

export interface CalcPackagesTable {
  id: Generated<number>;
  name: string;
  version: string;
  sha256: string;
  size: number;
  /** The parsed adapter as JSON text. */
  adapter: string;
  created_at: number;
}

export interface DispatchesTable {
  id: Generated<number>;
  project_id: number;
  package_id: number;
  para_name: string;
  job_count: number;
  created_at: number;
}

export interface JobsTable {
  id: Generated<number>;
  dispatch_id: number;
  project_id: number;
  package_id: number;
  para_name: string;
  state_index: number;
  label: string;
  /** The full parameter set as JSON text (an object of strings). */
  params: string;
  rid: number | null;
  state: JobState;
  path: string | null;
  /** Until when the claiming agent's lease holds (scaled out); null when none. */
  lease_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface JobStepsTable {
  job_id: number;
  step_id: string;
  priority: number;
  status: StepStatus;
  started_at: number | null;
  ended_at: number | null;
  exit_code: number | null;
  signal: string | null;
  reason: string | null;
  log_path: string | null;
  batch_id: string | null;
  batch_state: string | null;
}

export interface JobEventsTable {
  id: Generated<number>;
  job_id: number;
  at: number;
  from_state: JobState | null;
  to_state: JobState;
  reason: string;
}

/** Since schema version 2. */
export interface JobItemsTable {
  job_id: number;
  section: JobItem['section'];
  key: string;
  kind: JobItem['kind'];
  /** A scalar, or the file's path relative to the run directory. */
  value: string;
  /** The stored file, once stored; null for a scalar or a file not stored yet. */
  sha256: string | null;
  /** Bytes of the stored file. */
  size: number | null;
  updated_at: number;
}

/** Since schema version 3: each resource machine's last heartbeat. */
export interface MachinesTable {
  rid: number;
  host: string;
  slots: number;
  slots_in_use: number;
  last_heartbeat: number;
  /** Since schema version 4. */
  jobs_root: string;
  executor: string;
  /** 1 when its steps go on without its agent (batch jobs); 0 or 1 on both engines. */
  steps_outlive_agent: number;
}
