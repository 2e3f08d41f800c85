import { mirrorError } from '../../core/index.js';
import type { JobQueue } from '../../bus/index.js';
import type { FileStore } from '../../file-store/index.js';
import { expandStates, parsePara } from '../../para/index.js';
import type { NewJob, Store } from '../../store/index.js';
import type { CalcPackages } from '../calc-packages.js';
import type { Projects } from '../projects.js';
import { planJobs } from './plan-jobs.js';

export interface DispatchDeps {
  readonly store: Store;
  readonly fileStore: FileStore;
  readonly queue: JobQueue;
  readonly projects: Projects;
  readonly calcPackages: CalcPackages;
  readonly limits: { readonly maxStates: number; readonly maxValues: number; readonly paraBytes: number };
}

export interface DispatchRequest {
  readonly projectId: number;
  readonly packageId: number;
  readonly paraName: string;
}

/**
 * `jobdispatch.do`: expands the para file's states, checks everything every job will
 * need, then inserts all jobs and enqueues their ids in one transaction. All or
 * nothing: any error leaves the store as it was. Answers the new job ids, ascending.
 */
export async function dispatchProject(deps: DispatchDeps, request: DispatchRequest): Promise<number[]> {
  const jobs = await planDispatch(deps, request);
  const { projectId, packageId, paraName } = request;
  return deps.store.transaction(async (tx) => {
    const { jobIds } = await tx.insertDispatch({ projectId, packageId, paraName, jobs });
    await deps.queue.enqueue(jobIds);
    return [...jobIds];
  });
}

/**
 * Everything dispatch checks, changing nothing: the jobs it would make (one per para
 * state, in order), or the error it would answer.
 */
export async function planDispatch(
  deps: Omit<DispatchDeps, 'store' | 'queue'>,
  request: DispatchRequest,
): Promise<NewJob[]> {
  const { fileStore, projects, calcPackages, limits } = deps;
  const { projectId, packageId, paraName } = request;
  const { files } = await projects.get(projectId);
  const calcPackage = await calcPackages.get(packageId);
  if (!(await fileStore.has(calcPackage.sha256))) {
    throw mirrorError('STORED_FILE_MISSING', {
      sha256: calcPackage.sha256,
      what: `calc package ${packageId}`,
    });
  }
  const paraFile = files.find((f) => f.name === paraName);
  if (!paraFile)
    throw mirrorError('PARA_NOT_IN_PROJECT', { para: JSON.stringify(paraName), project: projectId });
  // Refused by its recorded size before its bytes are read.
  if (paraFile.size > limits.paraBytes) {
    throw mirrorError('XML_TOO_LARGE', { file: paraName, size: paraFile.size, limit: limits.paraBytes });
  }
  const para = parsePara(await projects.readContent(paraFile), {
    file: paraName,
    maxBytes: limits.paraBytes,
  });
  const states = expandStates(para, { maxStates: limits.maxStates, maxValues: limits.maxValues });
  return planJobs({
    paraName,
    projectId,
    info: calcPackage.info,
    states,
    projectFiles: new Set(files.map((f) => f.name)),
  });
}
