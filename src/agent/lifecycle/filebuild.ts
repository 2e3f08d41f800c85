import { constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { copyFile, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractZip } from '../../archive/index.js';
import { pathInRunDirectory, renderText } from '../../calc-package/index.js';
import type { JobState } from '../../job/index.js';
import type { Job } from '../../store/index.js';
import { archiveLimitsOf, packageInfo, type AgentContext } from '../context.js';
import { jobOfThisRid, requireState, runDirOf } from '../job-access.js';
import { prepareTarget } from '../run-dir/safe-target.js';

const FILEBUILDABLE: readonly JobState[] = ['built', 'ready', 'finished', 'failed', 'killed'];

/**
 * `jobfilebuild_<rid>.do(job_id)`: re-reads the job's parameters from the store (an
 * edited parameter takes effect), writes `params.json`, renders the templates, applies
 * the copy rules, and resets the step records to pending. Can run again.
 */
export async function filebuild(ctx: AgentContext, jobId: number): Promise<void> {
  const job = await jobOfThisRid(ctx, jobId);
  requireState(job, FILEBUILDABLE, 'filebuild');
  const runDir = runDirOf(job);
  const { info } = await packageInfo(ctx, job.packageId);
  const params = job.params;

  const paramsFile = await prepareTarget(runDir, 'params.json', 'params.json', { createParents: false });
  await writeFile(paramsFile, `${JSON.stringify(params, null, 2)}\n`, { flag: 'wx' });

  for (const template of info.adapter.templates) {
    const source = join(runDir, '.mirror', 'calc', 'template', ...template.src.split('/'));
    const text = renderText(await readFile(source, 'utf8'), params, `template ${template.src}`);
    const targetRel = renderText(template.target, params);
    const target = await prepareTarget(runDir, targetRel, 'Template target', { createParents: true });
    await writeFile(target, text, { flag: 'wx' });
    // The copied source must not stay beside its rendering for a solver to trip on.
    if (template.src !== targetRel) {
      await rm(pathInRunDirectory(runDir, template.src, 'Template src'), { force: true });
    }
  }

  for (const rule of info.adapter.files) {
    await applyCopyRule(ctx, job, runDir, rule.name, rule.target, rule.create, rule.unzip);
  }

  await ctx.store.resetJobSteps(
    jobId,
    info.adapter.steps.map((s) => ({ stepId: s.id, priority: s.priority })),
  );
  await ctx.store.transitionJob(jobId, { from: FILEBUILDABLE, to: 'ready', reason: 'files built' });
}

/** One `<File>` rule: copy (or extract) a project file from `.mirror/proj` to its target. */
async function applyCopyRule(
  ctx: AgentContext,
  job: Job,
  runDir: string,
  name: string,
  target: string,
  create: boolean,
  unzip: boolean,
): Promise<void> {
  const file = renderText(name, job.params);
  const source = join(runDir, '.mirror', 'proj', ...file.split('/'));
  const targetRel = renderText(target, job.params);
  if (unzip && targetRel === '.') {
    // Into the run directory's root: extract aside, then move each top entry in place.
    const staging = join(runDir, '.mirror', `unzip-${randomBytes(6).toString('hex')}`);
    try {
      await extractZip(source, staging, archiveLimitsOf(ctx));
      for (const entry of await readdir(staging)) {
        const dest = await prepareTarget(runDir, entry, 'File target', {
          createParents: false,
          replaceDirectory: true,
        });
        await rename(join(staging, entry), dest);
      }
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    return;
  }
  if (unzip) {
    const dir = await prepareTarget(runDir, targetRel, 'File target', {
      createParents: create,
      replaceDirectory: true,
    });
    await extractZip(source, dir, archiveLimitsOf(ctx));
    return;
  }
  const dest = await prepareTarget(runDir, targetRel, 'File target', { createParents: create });
  await copyFile(source, dest, constants.COPYFILE_EXCL);
}
