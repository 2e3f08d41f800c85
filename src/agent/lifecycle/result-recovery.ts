import { READS } from '../../job/index.js';
import type { Job, NewJobItem } from '../../store/index.js';
import { packageInfo, type AgentContext } from '../context.js';
import { jobOfThisRid, requireState, runDirOf } from '../job-access.js';
import { readOutputs } from '../../run-dir/index.js';
import { refreshProcess } from './process-monitor.js';
import { storeItemFiles } from './items/store-item-files.js';

/**
 * `jobresultrecovery_<rid>.do(job_id)`: stores the job's `Result` files (a directory as
 * a `.zip` of it) and its `Process` files in the file store, parses its `Output`
 * scalars, and records them all as the job's items. Works on a failed job too (its
 * partial results); missing files are skipped.
 */
export async function resultRecovery(ctx: AgentContext, jobId: number): Promise<void> {
  const job = await jobOfThisRid(ctx, jobId);
  requireState(job, READS.recover, 'result recovery');
  await recoverResults(ctx, job);
}

/** Recovery's work for a job already checked (autorun runs it before the job is finished). */
export async function recoverResults(ctx: AgentContext, job: Job): Promise<void> {
  const jobId = job.id;
  const runDir = runDirOf(ctx, job);
  await refreshProcess(ctx, jobId);
  const { info } = await packageInfo(ctx, job.packageId);
  const items: NewJobItem[] = [
    ...(await storeItemFiles(ctx, job, runDir, 'result', info.adapter.results)),
    ...(await storeItemFiles(ctx, job, runDir, 'process', info.adapter.process)),
  ];
  const outputs = await readOutputs(runDir, info.adapter, job.params);
  for (const [key, value] of Object.entries(outputs.values)) {
    items.push({ section: 'result', key, kind: 'value', value, sha256: null, size: null });
  }
  for (const warning of outputs.warnings) ctx.log(`job ${jobId}: ${warning}`);
  await ctx.hub.putJobItems(jobId, items);
}
