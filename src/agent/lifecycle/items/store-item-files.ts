import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { walkDirectory, writeZip } from '../../../archive/index.js';
import type { Item } from '../../../calc-package/index.js';
import type { Job, NewJobItem } from '../../../store/index.js';
import type { AgentContext } from '../../context.js';
import { listItemFiles } from '../../../run-dir/index.js';

/** Puts each existing item file into the file store; answers its items. */
export async function storeItemFiles(
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
      file.kind === 'file' ? await ctx.hub.putFile(file.path) : await putDirectoryZip(ctx, file.path);
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
export async function putDirectoryZip(
  ctx: AgentContext,
  dir: string,
): Promise<{ sha256: string; size: number }> {
  const tmp = join(ctx.config.workdir, 'tmp');
  await mkdir(tmp, { recursive: true });
  const zip = join(tmp, `item-${randomBytes(8).toString('hex')}.zip`);
  try {
    const files = await walkDirectory(dir);
    await writeZip(
      files.map((f) => ({ path: f.path, absPath: f.absPath, executable: f.executable })),
      zip,
    );
    return await ctx.hub.putFile(zip);
  } finally {
    await rm(zip, { force: true });
  }
}
