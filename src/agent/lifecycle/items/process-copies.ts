import type { Item } from '../../../calc-package/index.js';
import type { Job, NewJobItem } from '../../../store/index.js';
import type { AgentContext } from '../../context.js';
import { listItemFiles } from '../../../run-dir/index.js';
import { putDirectoryZip } from './store-item-files.js';

/** The last copy of one process file sent to the hub. */
export interface ProcessCopy {
  readonly item: NewJobItem;
  /** The file as it was copied (a directory has none: it is judged by time alone). */
  readonly size?: number;
  readonly mtimeMs?: number;
  /** When the copy ended, and how long it took (ms). */
  readonly endedAt: number;
  readonly tookMs: number;
}

/**
 * Copies sending takes at most this share of the time: a file is sent again no sooner
 * than `(1 / SHARE - 1)` times as long as its last copy took after that one ended.
 */
const SHARE = 0.1;

/**
 * Copies of a running job's process files for a hub on another host, at a monitor pass.
 * A file is sent again only when it changed (size or modification time), and no more
 * often than keeps copying to a tenth of the time: a solver's log that grows by
 * hundreds of MB is not copied whole at every pass (unless `throttled` is false: the
 * last pass after the steps, a monitor asked for). Until then its item names the last
 * copy sent. `copies` is kept by the caller from one pass to the next.
 */
export async function copyProcessFiles(
  ctx: AgentContext,
  job: Job,
  runDir: string,
  declared: readonly Item[],
  copies: Map<string, ProcessCopy>,
  throttled: boolean,
): Promise<NewJobItem[]> {
  const items: NewJobItem[] = [];
  for (const file of await listItemFiles(runDir, declared, job.params)) {
    if (file.kind === 'skipped') ctx.log(`job ${job.id}: ${file.warning}`);
    if (file.kind !== 'file' && file.kind !== 'directory') continue;
    const last = copies.get(file.key);
    const now = Date.now();
    if (last !== undefined && last.item.value === file.file) {
      const unchanged = file.kind === 'file' && last.size === file.size && last.mtimeMs === file.mtimeMs;
      const tooSoon = throttled && now - last.endedAt < (last.tookMs * (1 - SHARE)) / SHARE;
      if (unchanged || tooSoon) {
        items.push(last.item);
        continue;
      }
    }
    const put =
      file.kind === 'file' ? await ctx.hub.putFile(file.path) : await putDirectoryZip(ctx, file.path);
    const item: NewJobItem = {
      section: 'process',
      key: file.key,
      kind: 'file',
      value: file.file,
      sha256: put.sha256,
      size: put.size,
    };
    const endedAt = Date.now();
    copies.set(file.key, {
      item,
      ...(file.kind === 'file' ? { size: file.size, mtimeMs: file.mtimeMs } : {}),
      endedAt,
      tookMs: endedAt - now,
    });
    items.push(item);
  }
  return items;
}
