import type { Selectable } from 'kysely';
import type {
  CalcPackagesTable,
  DispatchesTable,
  JobEventsTable,
  JobItemsTable,
  JobStepsTable,
  JobsTable,
  MachinesTable,
  ProjectFilesTable,
  ProjectsTable,
  StoredFilesTable,
} from './schema.js';
import type {
  CalcPackage,
  Dispatch,
  Job,
  JobEvent,
  JobItem,
  JobStep,
  Machine,
  Project,
  ProjectFile,
  StoredFile,
} from './store.js';

// Rows as read back from either engine, turned into the store's types.

export function toStoredFile(row: Selectable<StoredFilesTable>): StoredFile {
  return { sha256: row.sha256, size: row.size, createdAt: row.created_at };
}

export function toProject(row: Selectable<ProjectsTable>): Project {
  return { id: row.id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at };
}

export function toProjectFile(row: Selectable<ProjectFilesTable>): ProjectFile {
  return {
    projectId: row.project_id,
    name: row.name,
    sha256: row.sha256,
    size: row.size,
    updatedAt: row.updated_at,
  };
}

export function toCalcPackage(row: Selectable<CalcPackagesTable>): CalcPackage {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    sha256: row.sha256,
    size: row.size,
    adapter: JSON.parse(row.adapter) as unknown,
    createdAt: row.created_at,
  };
}

export function toDispatch(row: Selectable<DispatchesTable>): Dispatch {
  return {
    id: row.id,
    projectId: row.project_id,
    packageId: row.package_id,
    paraName: row.para_name,
    jobCount: row.job_count,
    createdAt: row.created_at,
  };
}

export function toJob(row: Selectable<JobsTable>): Job {
  return {
    id: row.id,
    dispatchId: row.dispatch_id,
    projectId: row.project_id,
    packageId: row.package_id,
    paraName: row.para_name,
    stateIndex: row.state_index,
    label: row.label,
    // Parameter names are identifiers (validated at dispatch), so a plain object is safe.
    params: JSON.parse(row.params) as Record<string, string>,
    rid: row.rid,
    state: row.state,
    path: row.path,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toJobStep(row: Selectable<JobStepsTable>): JobStep {
  return {
    jobId: row.job_id,
    stepId: row.step_id,
    priority: row.priority,
    status: row.status,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    exitCode: row.exit_code,
    signal: row.signal,
    reason: row.reason,
    logPath: row.log_path,
    batchId: row.batch_id,
    batchState: row.batch_state,
  };
}

export function toJobEvent(row: Selectable<JobEventsTable>): JobEvent {
  return {
    id: row.id,
    jobId: row.job_id,
    at: row.at,
    from: row.from_state,
    to: row.to_state,
    reason: row.reason,
  };
}

export function toJobItem(row: Selectable<JobItemsTable>): JobItem {
  return {
    jobId: row.job_id,
    section: row.section,
    key: row.key,
    kind: row.kind,
    value: row.value,
    sha256: row.sha256,
    size: row.size,
    updatedAt: row.updated_at,
  };
}

export function toMachine(row: Selectable<MachinesTable>): Machine {
  return {
    rid: row.rid,
    host: row.host,
    slots: row.slots,
    slotsInUse: row.slots_in_use,
    lastHeartbeat: row.last_heartbeat,
    jobsRoot: row.jobs_root,
    executor: row.executor,
    stepsOutliveAgent: row.steps_outlive_agent === 1,
  };
}
