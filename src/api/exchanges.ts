// What the routes take and answer beyond the entities of schemas.ts: the list wrappers,
// the request bodies and queries. Declared once here; the routes validate with them and
// the SDK's types are derived from them.
import { z } from 'zod';
import {
  calcPackage,
  dispatch,
  idNumber,
  idText,
  job,
  jobState,
  machine,
  project,
  projectFile,
} from './schemas.js';

export const projectList = z.object({ projects: z.array(project) });
/** A project with its files. */
export const projectWithFiles = z.object({ project, files: z.array(projectFile) });
/** Files just uploaded into a project. */
export const uploadedFiles = z.object({ files: z.array(projectFile) });

export const packageList = z.object({ packages: z.array(calcPackage) });

export const machineList = z.object({ machines: z.array(machine) });

/** What a dispatch names: a project, a calc package and one of the project's para files. */
export const dispatchRequest = z.strictObject({
  projectId: idNumber,
  packageId: idNumber,
  paraName: z.string().default('para.xml'),
});
/** The jobs a dispatch made, one per para state. */
export const dispatchMade = z.object({ jobIds: z.array(z.number()) });

export const dispatchListQuery = z.strictObject({
  project: idText.optional(),
  limit: idText.refine((n) => n <= 1000, 'at most 1000').optional(),
});
export const dispatchList = z.object({ dispatches: z.array(dispatch) });

/** One page of the job list; `next` is the cursor of the following page, null on the last. */
export const jobPage = z.object({ jobs: z.array(job), next: z.number().nullable() });

/** Of a project, a dispatch or all. */
export const jobCountsQuery = z.strictObject({ project: idText.optional(), dispatch: idText.optional() });
/** How many jobs are in each state; every state is named, 0 included. */
export const jobCounts = z.object({ counts: z.record(jobState, z.number()) });

export const bulkAction = z.enum(['kill', 'delete', 'rerun']);
/** The fields a bulk action's selector may name (at least one). */
export const jobSelector = z.strictObject({
  state: jobState.optional(),
  project: idNumber.optional(),
  package: idNumber.optional(),
  dispatch: idNumber.optional(),
  rid: idNumber.optional(),
  label: z.string().optional(),
});
/** Kill, delete or rerun the jobs named by ids or by a selector. */
export const bulkRequest = z.strictObject({
  action: bulkAction,
  force: z.boolean().default(false),
  ids: z.array(idNumber).max(10_000).optional(),
  selector: jobSelector.optional(),
});
/** Which jobs a bulk action did, and which it could not (with the reason). */
export const bulkOutcome = z.object({
  done: z.array(z.number()),
  failed: z.array(z.object({ id: z.number(), message: z.string() })),
});
