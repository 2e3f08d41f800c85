import { renderText } from '../../../calc-package/index.js';
import type { PackageInfo } from '../../../calc-package/index.js';
import type { Job } from '../../../store/index.js';
import type { AgentContext } from '../../context.js';
import { openRunFile, jobsRoot, ownRunDir } from '../../../run-dir/index.js';

/**
 * Bytes of new lines read from one file at one pass, at most: watchers follow a file live,
 * and a file growing faster (a solver logging hundreds of MB) is followed from its end,
 * the lines in between skipped (and said so), rather than sent to the hub in full.
 */
const MAX_READ = 256 * 1024;

/**
 * Watches a running job's `Process` files and publishes each complete line appended to
 * them as a `line` event, every `intervalMs`. Lines already there when watching starts
 * are not sent; a file that shrank (a step truncating it) is read again from its start.
 * Answers a function that reads once more (the last lines) and stops.
 */
export function tailProcessFiles(
  ctx: AgentContext,
  job: Job,
  info: PackageInfo,
  intervalMs = 100,
): () => Promise<void> {
  const runDir = ownRunDir(jobsRoot(ctx.config.workdir), job);
  if (runDir === undefined || info.adapter.process.length === 0) return () => Promise.resolve();
  const files = info.adapter.process.flatMap((item) => {
    try {
      return [{ key: item.key, path: renderText(item.file, job.params), offset: -1 }];
    } catch {
      return [];
    }
  });

  let busy: Promise<void> = Promise.resolve();
  const pass = async () => {
    for (const file of files) {
      const opened = await openRunFile(runDir, file.path, `Process ${file.key} file`);
      if (opened.kind !== 'opened') {
        if (file.offset === -1) file.offset = 0;
        continue;
      }
      try {
        if (file.offset === -1) file.offset = opened.size;
        if (opened.size < file.offset) file.offset = 0;
        // Far behind: start from the newest MAX_READ bytes, at the first line that begins there.
        let skipped = 0;
        if (opened.size - file.offset > MAX_READ) {
          skipped = opened.size - MAX_READ - file.offset;
          file.offset = opened.size - MAX_READ;
        }
        const length = Math.min(MAX_READ, opened.size - file.offset);
        if (length <= 0) continue;
        const buffer = Buffer.alloc(length);
        await opened.handle.read(buffer, 0, length, file.offset);
        const start = skipped > 0 ? buffer.indexOf(0x0a) + 1 : 0;
        const end = buffer.lastIndexOf(0x0a);
        if (end === -1 || end < start) continue;
        file.offset += end + 1;
        const lines = buffer.subarray(start, end).toString('utf8').split('\n');
        const event = {
          type: 'line' as const,
          jobId: job.id,
          projectId: job.projectId,
          key: file.key,
          lines,
        };
        ctx.hub.publishLines(skipped + start > 0 ? { ...event, skipped: skipped + start } : event);
      } finally {
        await opened.handle.close();
      }
    }
  };
  const tick = () => {
    busy = busy.then(pass).catch(() => {});
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return async () => {
    clearInterval(timer);
    tick();
    await busy;
  };
}
