import { READS } from '../../job/index.js';
import type { NewJobItem } from '../../store/index.js';
import { packageInfo, type AgentContext } from '../context.js';
import { jobOfThisRid, requireState, runDirOf } from '../job-access.js';
import { listItemFiles, readProgress } from '../../run-dir/index.js';
import { copyProcessFiles, type ProcessCopy } from './items/process-copies.js';

/**
 * `jobprocessmonitor_<rid>.do(job_id)`: refreshes the job's process data from its run
 * directory: progress (currentstep of allstep) and the declared process files, which
 * `jobgetdata` then serves live from the run directory (or, when the hub is on another
 * host, from the copy stored in its file store at each refresh).
 */
export async function processMonitor(ctx: AgentContext, jobId: number): Promise<void> {
  const job = await jobOfThisRid(ctx, jobId);
  requireState(job, READS.monitor, 'process monitor');
  runDirOf(ctx, job);
  await refreshProcess(ctx, jobId);
}

/**
 * The monitor's work, for a job already checked (autorun calls it while steps run, with
 * `throttled`: copies of large process files for a remote hub are not sent at every pass).
 */
export async function refreshProcess(ctx: AgentContext, jobId: number, throttled = false): Promise<void> {
  const job = await ctx.hub.getJob(jobId);
  if (!job?.path) return;
  const runDir = runDirOf(ctx, job);
  const { info } = await packageInfo(ctx, job.packageId);
  const steps = await ctx.hub.listJobSteps(jobId);
  const done = steps.filter((s) => s.status === 'succeeded').length;
  const all = steps.length > 0 ? steps.length : info.adapter.steps.length;
  const progress = await readProgress(runDir, info.adapter, job.params, done, all);
  const items: NewJobItem[] = [
    {
      section: 'process',
      key: 'currentstep',
      kind: 'value',
      value: progress.currentstep,
      sha256: null,
      size: null,
    },
    { section: 'process', key: 'allstep', kind: 'value', value: progress.allstep, sha256: null, size: null },
  ];
  if (ctx.hub.seesRunDirs) {
    for (const file of await listItemFiles(runDir, info.adapter.process, job.params)) {
      if (file.kind === 'file' || file.kind === 'directory') {
        const size = file.kind === 'file' ? file.size : null;
        items.push({ section: 'process', key: file.key, kind: 'file', value: file.file, sha256: null, size });
      }
    }
  } else {
    // The hub cannot read this machine's run directory: it gets a copy of each file.
    const copies = ctx.active.get(jobId)?.processCopies ?? new Map<string, ProcessCopy>();
    items.push(...(await copyProcessFiles(ctx, job, runDir, info.adapter.process, copies, throttled)));
  }
  for (const warning of progress.warnings) ctx.log(`job ${jobId}: ${warning}`);
  await ctx.hub.putJobItems(jobId, items);
}
