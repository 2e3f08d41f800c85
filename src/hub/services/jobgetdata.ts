import { mirrorError, defineMethod, reply, type ServiceDefinition } from '../../core/index.js';
import type { JobItem, Store } from '../../store/index.js';
import { packageInfoOf } from '../../calc-package/index.js';

export interface JobData {
  readonly process: Record<string, string>;
  readonly result: Record<string, string>;
}

/** Where `jobgetdata` points file items: `<base>/files/jobs/<id>/<section>/<key>`. */
export function itemUrl(baseUrl: string, item: Pick<JobItem, 'jobId' | 'section' | 'key'>): string {
  return `${baseUrl}/files/jobs/${item.jobId}/${item.section}/${encodeURIComponent(item.key)}`;
}

/**
 * A job's data as the original returned it: `process` and `result`, both always
 * present; scalar items as strings, file items as URLs of the hub's file route;
 * `process.currentstep` / `allstep` as strings (from the last monitor, else steps done
 * of all); while a step runs as a batch job, `process.batchjob` and `batchstate` (its id
 * and its state at the scheduler), unless the adapter names those keys itself.
 */
export async function jobData(store: Store, baseUrl: string, jobId: number): Promise<JobData> {
  const job = await store.getJob(jobId);
  if (!job) throw mirrorError('JOB_NOT_FOUND', { job: jobId });
  const items = await store.listJobItems(jobId);
  // By entries, never by assignment: every key an item has is its own key of the reply.
  const section = (name: 'process' | 'result'): Record<string, string> =>
    Object.fromEntries(
      items
        .filter((item) => item.section === name)
        .map((item) => [item.key, item.kind === 'file' ? itemUrl(baseUrl, item) : item.value]),
    );
  const data: JobData = { process: section('process'), result: section('result') };
  const steps = await store.listJobSteps(jobId);
  if (data.process['currentstep'] === undefined || data.process['allstep'] === undefined) {
    // Before filebuild a job has no step records yet: count its package's steps.
    const all = steps.length > 0 ? steps.length : await adapterStepCount(store, job.packageId);
    data.process['currentstep'] ??= String(steps.filter((s) => s.status === 'succeeded').length);
    data.process['allstep'] ??= String(all);
  }
  // A step running as a batch job: its id and its state there (`PENDING (Resources)`).
  const batch = steps.find((s) => s.status === 'running' && s.batchId !== null);
  if (batch?.batchId) {
    data.process['batchjob'] ??= batch.batchId;
    if (batch.batchState !== null) data.process['batchstate'] ??= batch.batchState;
  }
  return data;
}

async function adapterStepCount(store: Store, packageId: number): Promise<number> {
  const row = await store.getCalcPackage(packageId);
  return row ? packageInfoOf(row).adapter.steps.length : 0;
}

/** `jobgetdata.do(job_id)` → `[0, {"process": {...}, "result": {...}}]`. */
export function jobgetdataService(deps: { store: Store; baseUrl: () => string }): ServiceDefinition {
  return {
    name: 'jobgetdata',
    methods: {
      do: defineMethod([{ name: 'job_id', type: 'id' }], (args) =>
        reply(() => jobData(deps.store, deps.baseUrl(), args.job_id)),
      ),
    },
  };
}
