import { z } from 'zod';
import { JOB_STATES } from '../job/index.js';

/** A positive id as it arrives in a path or query: decimal digits, at most 2^31 - 1. */
export const idText = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, 'expected a positive integer (decimal digits)')
  .transform(Number)
  .refine((n) => n <= 2_147_483_647, 'expected a positive integer up to 2147483647');

/** A positive id in a JSON body. */
export const idNumber = z.number().int().min(1).max(2_147_483_647);

export const jobState = z.enum(JOB_STATES);
export const params = z.record(z.string(), z.string());

export const project = z.object({
  id: z.number(),
  name: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export const projectFile = z.object({
  name: z.string(),
  sha256: z.string(),
  size: z.number(),
  updatedAt: z.number(),
});
export const calcPackage = z.object({
  id: z.number(),
  name: z.string(),
  version: z.string(),
  sha256: z.string(),
  size: z.number(),
  steps: z.array(z.object({ id: z.string(), workpath: z.string(), priority: z.number() })),
  createdAt: z.number(),
});
export const job = z.object({
  id: z.number(),
  dispatchId: z.number(),
  projectId: z.number(),
  packageId: z.number(),
  paraName: z.string(),
  stateIndex: z.number(),
  label: z.string(),
  params,
  rid: z.number().nullable(),
  state: jobState,
  path: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export const jobStep = z.object({
  stepId: z.string(),
  priority: z.number(),
  status: z.string(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  exitCode: z.number().nullable(),
  signal: z.string().nullable(),
  reason: z.string().nullable(),
  logPath: z.string().nullable(),
  /** Its batch job's id, when a batch scheduler (Slurm) ran it. */
  batchId: z.string().nullable(),
  /** That batch job's state as last seen: `PENDING (Resources)`, `RUNNING`. */
  batchState: z.string().nullable(),
});
export const jobEvent = z.object({
  id: z.number(),
  at: z.number(),
  from: jobState.nullable(),
  to: jobState,
  reason: z.string(),
});
export const ok = z.object({ ok: z.literal(true) });

/** Raw bytes (a downloaded file; a Buffer on the server): documented as a binary string. */
export const bytes = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array)
  .meta({ type: 'string', format: 'binary' });

/** A resource machine as the hubs last heard from it. */
export const machine = z.object({
  rid: z.number(),
  host: z.string(),
  slots: z.number(),
  slotsInUse: z.number(),
  lastHeartbeat: z.number(),
  jobsRoot: z.string(),
  /** How its agent runs steps: `local`, `slurm`. */
  executor: z.string(),
  /** Its steps go on when its agent is gone (batch jobs); a silent machine's running jobs then stay running. */
  stepsOutliveAgent: z.boolean(),
  alive: z.boolean(),
  runningJobs: z.array(z.number()),
});

/** A job's data as `jobgetdata` answers it. */
export const jobData = z.object({
  process: z.record(z.string(), z.string()),
  result: z.record(z.string(), z.string()),
});

/** One job with its steps, its state history and its data. */
export const jobDetail = z.object({
  job,
  steps: z.array(jobStep),
  events: z.array(jobEvent),
  data: jobData,
});

/** What a dispatch would make. */
export const dispatchPreview = z.object({
  jobs: z.number(),
  /** The parameters whose values differ between the states. */
  parameters: z.array(z.string()),
  /** The first labels (at most 20). */
  labels: z.array(z.string()),
});

/** One `jobdispatch.do`. */
export const dispatch = z.object({
  id: z.number(),
  projectId: z.number(),
  packageId: z.number(),
  paraName: z.string(),
  jobCount: z.number(),
  createdAt: z.number(),
});

/** A sweep's results: its varied parameters and Output scalars, a row per job. */
export const sweepResults = z.object({
  dispatch,
  parameters: z.array(z.string()),
  outputs: z.array(z.string()),
  rows: z.array(
    z.object({
      jobId: z.number(),
      state: jobState,
      label: z.string(),
      params: z.record(z.string(), z.string()),
      outputs: z.record(z.string(), z.string()),
    }),
  ),
});

/** A process file as numeric series (the first column is the x axis). */
export const series = z.object({
  key: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.number())),
});

/** The filters and paging of the job list (`GET /api/jobs`), as the query string gives them. */
export const jobListQuery = z.strictObject({
  state: jobState.optional(),
  project: idText.optional(),
  package: idText.optional(),
  dispatch: idText.optional(),
  rid: idText.optional(),
  label: z.string().optional(),
  order: z.enum(['newest', 'oldest']).optional(),
  cursor: idText.optional(),
  limit: idText.refine((n) => n <= 500, 'at most 500').optional(),
});
