import { csvLine, ownValue } from '../../core/index.js';
import type { JobState } from '../../job/index.js';
import type { Dispatch, Job, Store } from '../../store/index.js';

/** One sweep's results: every job of a dispatch, its varied parameters and its Output scalars. */
export interface SweepResults {
  readonly dispatch: Dispatch;
  /** The parameters whose values differ between the jobs. */
  readonly parameters: string[];
  /** Every scalar result key any job has, sorted. */
  readonly outputs: string[];
  readonly rows: {
    jobId: number;
    state: JobState;
    label: string;
    params: Record<string, string>;
    outputs: Record<string, string>;
  }[];
}

/** Jobs read per query while collecting a sweep. */
const PAGE = 1000;

/** Collects a dispatch's results: its jobs page by page, their scalar results in one query. */
export async function sweepResults(
  store: Store,
  dispatch: Dispatch,
  varied: (jobs: readonly Job[]) => string[],
): Promise<SweepResults> {
  const jobs: Job[] = [];
  for (;;) {
    const page = await store.listJobs({
      dispatchId: dispatch.id,
      order: 'asc',
      limit: PAGE,
      ...(jobs.length > 0 ? { afterId: jobs.at(-1)?.id ?? 0 } : {}),
    });
    jobs.push(...page);
    if (page.length < PAGE) break;
  }
  const values = new Map<number, Map<string, string>>();
  const keys = new Set<string>();
  for (const { jobId, key, value } of await store.listDispatchValues(dispatch.id, 'result')) {
    const row = values.get(jobId) ?? new Map<string, string>();
    row.set(key, value);
    values.set(jobId, row);
    keys.add(key);
  }
  const parameters = varied(jobs);
  return {
    dispatch,
    parameters,
    outputs: [...keys].sort(),
    rows: jobs.map((job) => ({
      jobId: job.id,
      state: job.state,
      label: job.label,
      params: Object.fromEntries(parameters.map((p) => [p, ownValue(job.params, p) ?? ''])),
      outputs: Object.fromEntries(values.get(job.id) ?? []),
    })),
  };
}

/** The results as CSV: job, state, label, each varied parameter, each output. */
export function toCsv(results: SweepResults): string {
  const { parameters, outputs } = results;
  const lines = [csvLine(['job', 'state', 'label', ...parameters, ...outputs])];
  for (const row of results.rows) {
    lines.push(
      csvLine([
        row.jobId,
        row.state,
        row.label,
        ...parameters.map((p) => ownValue(row.params, p) ?? ''),
        ...outputs.map((o) => ownValue(row.outputs, o) ?? ''),
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}
