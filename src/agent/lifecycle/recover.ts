import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { walkDirectory, writeZip } from '../../archive/index.js';
import type { Item } from '../../calc-package/index.js';
import type { JobState } from '../../job/index.js';
import type { Job, NewJobItem } from '../../store/index.js';
import { packageInfo, type AgentContext } from '../context.js';
import { jobOfThisRid, requireState, runDirOf } from '../job-access.js';
import { listItemFiles, readOutputs } from '../monitor/index.js';
import { monitorJob } from './monitor.js';

const RECOVERABLE: readonly JobState[] = ['ready', 'finished', 'failed', 'killed'];

/**
 * `jobresultrecovery_<rid>.do(job_id)`: stores the job's `Result` files (a directory as
 * a `.zip` of it) and its `Process` files in the file store, parses its `Output`
 * scalars, and records them all as the job's items. Works on a failed job too (its
 * partial results); missing files are skipped.
 */
export async function recover(ctx: AgentContext, jobId: number): Promise<void> {
  const job = await jobOfThisRid(ctx, jobId);
  requireState(job, RECOVERABLE, 'result recovery');
  await recoverJob(ctx, job);
}

/** Recovery's work for a job already checked (autorun runs it before the job is finished). */
export async function recoverJob(ctx: AgentContext, job: Job): Promise<void> {
  const jobId = job.id;
  const runDir = runDirOf(job);
  await monitorJob(ctx, jobId);
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
  await ctx.store.transaction(async (tx) => {
    for (const item of items)
      if (item.sha256 !== null) await tx.recordStoredFile({ sha256: item.sha256, size: item.size ?? 0 });
    await tx.putJobItems(jobId, items);
  });
}

/** Puts each existing item file into the file store; answers its items. */
async function storeItemFiles(
  ctx: AgentContext,
  job: Job,
  runDir: string,
  section: 'process' | 'result',
  declared: readonly Item[],
): Promise<NewJobItem[]> {
  const items: NewJobItem[] = [];
  for (const file of await listItemFiles(runDir, declared, job.params)) {
    if (file.kind === 'skipped') ctx.log(`job ${job.id}: ${file.warning}`);
    if (file.kind !== 'file' && file.kind !== 'directory') continue;
    const put =
      file.kind === 'file' ? await ctx.fileStore.putFile(file.path) : await putDirectoryZip(ctx, file.path);
    items.push({
      section,
      key: file.key,
      kind: 'file',
      value: file.file,
      sha256: put.sha256,
      size: put.size,
    });
  }
  return items;
}

/** A directory item is stored as a `.zip` of it (links and special files refused). */
async function putDirectoryZip(ctx: AgentContext, dir: string): Promise<{ sha256: string; size: number }> {
  const tmp = join(ctx.config.workdir, 'tmp');
  await mkdir(tmp, { recursive: true });
  const zip = join(tmp, `item-${randomBytes(8).toString('hex')}.zip`);
  try {
    const files = await walkDirectory(dir);
    await writeZip(
      files.map((f) => ({ path: f.path, absPath: f.absPath, executable: f.executable })),
      zip,
    );
    return await ctx.fileStore.putFile(zip);
  } finally {
    await rm(zip, { force: true });
  }
}
