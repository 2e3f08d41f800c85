import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, lstat, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractZip } from '../../archive/index.js';
import { pathInRunDirectory, renderText } from '../../calc-package/index.js';
import { mirrorError } from '../../core/index.js';
import { MOVES } from '../../job/index.js';
import type { PackageInfo } from '../../calc-package/index.js';
import type { Job } from '../../store/index.js';
import { archiveLimitsOf, packageInfo, type AgentContext } from '../context.js';
import { jobOfThisRid, moveJob, requireState, runDirOf } from '../job-access.js';
import { checkTarget, prepareTarget, type TargetOptions } from '../../run-dir/index.js';

/** One file filebuild writes: rendered text, a copied project file, or an extracted archive. */
type Write = { readonly target: string; readonly what: string; readonly options: TargetOptions } & (
  | { readonly kind: 'text'; readonly text: string; readonly replacesSource?: string }
  | { readonly kind: 'copy' | 'unzip'; readonly source: string }
);

/**
 * `jobfilebuild_<rid>.do(job_id)`: re-reads the job's parameters from the store (an
 * edited parameter takes effect), writes `params.json`, renders the templates, applies
 * the copy rules, and resets the step records to pending. Can run again. Every input
 * is read and every target checked before the first file is written, so a refused
 * filebuild (a missing source, a link planted on a target's way) writes nothing.
 */
export async function filebuild(ctx: AgentContext, jobId: number): Promise<void> {
  const job = await jobOfThisRid(ctx, jobId);
  requireState(job, MOVES.filebuild.from, 'filebuild');
  const runDir = runDirOf(ctx, job);
  const { info } = await packageInfo(ctx, job.packageId);

  const writes = await planWrites(runDir, job, info);
  for (const write of writes) await checkTarget(runDir, write.target, write.what, write.options);
  for (const write of writes) await apply(ctx, runDir, write);

  await ctx.hub.resetJobSteps(
    jobId,
    info.adapter.steps.map((s) => ({ stepId: s.id, priority: s.priority })),
  );
  await moveJob(ctx, jobId, { ...MOVES.filebuild, reason: 'files built' });
}

/** Everything filebuild will write, with templates already rendered and sources checked. */
async function planWrites(runDir: string, job: Job, info: PackageInfo): Promise<Write[]> {
  const params = job.params;
  const writes: Write[] = [
    {
      kind: 'text',
      target: 'params.json',
      what: 'params.json',
      options: { createParents: false },
      text: `${JSON.stringify(params, null, 2)}\n`,
    },
  ];
  for (const template of info.adapter.templates) {
    const source = join(runDir, '.mirror', 'calc', 'template', ...template.src.split('/'));
    const text = renderText(await readFile(source, 'utf8'), params, `template ${template.src}`);
    const target = renderText(template.target, params);
    // The copied source must not stay beside its rendering for a solver to trip on.
    const replacesSource = template.src !== target ? template.src : undefined;
    writes.push({
      kind: 'text',
      target,
      what: 'Template target',
      options: { createParents: true },
      text,
      ...(replacesSource !== undefined ? { replacesSource } : {}),
    });
  }
  for (const rule of info.adapter.files) {
    const file = renderText(rule.name, params);
    const source = join(runDir, '.mirror', 'proj', ...file.split('/'));
    const kind = await lstat(source).catch(() => undefined);
    if (!kind?.isFile()) throw mirrorError('PROJECT_FILE_NOT_FOUND', { file, project: job.projectId });
    const target = renderText(rule.target, params);
    const options = { createParents: rule.create, replaceDirectory: rule.unzip };
    writes.push({ kind: rule.unzip ? 'unzip' : 'copy', target, what: 'File target', options, source });
  }
  return writes;
}

/** Writes one planned file, never through a link (see prepareTarget). */
async function apply(ctx: AgentContext, runDir: string, write: Write): Promise<void> {
  if (write.kind === 'unzip' && write.target === '.') return unzipIntoRoot(ctx, runDir, write.source);
  const target = await prepareTarget(runDir, write.target, write.what, write.options);
  switch (write.kind) {
    case 'text':
      await writeFile(target, write.text, { flag: 'wx' });
      if (write.replacesSource !== undefined) {
        await rm(pathInRunDirectory(runDir, write.replacesSource, 'Template src'), { force: true });
      }
      return;
    case 'copy':
      return copyFile(write.source, target, constants.COPYFILE_EXCL);
    case 'unzip':
      await extractZip(write.source, target, archiveLimitsOf(ctx));
      return;
  }
}

/** `<File ... target="." unzip="1">`: extract aside, then move each top entry in place. */
async function unzipIntoRoot(ctx: AgentContext, runDir: string, source: string): Promise<void> {
  const staging = join(runDir, '.mirror', `unzip-${randomBytes(6).toString('hex')}`);
  try {
    await extractZip(source, staging, archiveLimitsOf(ctx));
    for (const entry of await readdir(staging)) {
      const options = { createParents: false, replaceDirectory: true };
      await rename(join(staging, entry), await prepareTarget(runDir, entry, 'File target', options));
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
