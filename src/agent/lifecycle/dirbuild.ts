import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { copyWalkedFiles, extractZip, walkDirectory, type WalkedFile } from '../../archive/index.js';
import { mirrorError } from '../../core/index.js';
import { MOVES } from '../../job/index.js';
import { archiveLimitsOf, packageInfo, type AgentContext } from '../context.js';
import { jobOfThisRid, moveJob, requireState, wrongState } from '../job-access.js';
import { jobsRoot, nextRunDir } from '../../run-dir/index.js';

/**
 * `jobdirbuild_<rid>.do(job_id, force)`: makes the job's run directory — the package's
 * `template/` at its root, the package in `.mirror/calc`, the project's files in
 * `.mirror/proj`, `.mirror/logs` for step logs — and points the job's path at it.
 * force=0 builds the first directory only; force=1 builds a fresh sibling, keeps the
 * old one on disk and repoints the job. A failed build removes what it made.
 */
export async function dirbuild(ctx: AgentContext, jobId: number, force: boolean): Promise<string> {
  const job = await jobOfThisRid(ctx, jobId);
  if (!force && job.path !== null && job.state !== 'assigned') {
    throw mirrorError('JOB_DIR_EXISTS', { jobid: jobId, path: job.path });
  }
  const { from: allowed } = force ? MOVES.rebuild : MOVES.dirbuild;
  requireState(job, allowed, force ? 'dirbuild with force=1' : 'dirbuild');
  const runDir = await nextRunDir(ctx.config.workdir, jobId);
  await mkdir(jobsRoot(ctx.config.workdir), { recursive: true });
  try {
    await buildRunDir(ctx, job.projectId, job.packageId, runDir);
  } catch (err) {
    await rm(runDir, { recursive: true, force: true });
    throw err;
  }
  const moved = await moveJob(ctx, jobId, {
    from: allowed,
    to: 'built',
    reason: force ? `directory rebuilt (force=1): ${runDir}` : `directory built: ${runDir}`,
    path: runDir,
  });
  if (!moved) {
    // Another call moved the job while the directory was being made.
    await rm(runDir, { recursive: true, force: true });
    throw wrongState(await jobOfThisRid(ctx, jobId), allowed, 'dirbuild');
  }
  return runDir;
}

/** Lays out a new run directory (which must not exist yet). */
async function buildRunDir(
  ctx: AgentContext,
  projectId: number,
  packageId: number,
  runDir: string,
): Promise<void> {
  const { sha256 } = await packageInfo(ctx, packageId);
  const calc = `${runDir}.calc-staging`;
  await rm(calc, { recursive: true, force: true });
  try {
    await extractZip(await ctx.hub.blobPath(sha256), calc, archiveLimitsOf(ctx));
    const template = join(calc, 'template');
    const templateFiles = (await isDirectory(template)) ? await walkDirectory(template) : [];
    await copyWalkedFiles(templateFiles, runDir);
    await mkdir(join(runDir, '.mirror', 'logs'), { recursive: true });
    await rename(calc, join(runDir, '.mirror', 'calc'));
  } finally {
    await rm(calc, { recursive: true, force: true });
  }
  const files = await ctx.hub.listProjectFiles(projectId);
  const proj: WalkedFile[] = [];
  for (const f of files) {
    proj.push({ path: f.name, absPath: await ctx.hub.blobPath(f.sha256), size: f.size, executable: false });
  }
  await copyWalkedFiles(proj, join(runDir, '.mirror', 'proj'));
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
