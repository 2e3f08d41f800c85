import type { FileHandle } from 'node:fs/promises';
import { mirrorError, type Reply } from '../core/index.js';
import { jobsRoot, openRunFile, ownRunDir, readRunFile, readStepLog, stepLogGone } from '../run-dir/index.js';
import type { Job, JobItem, JobStep } from '../store/index.js';

/** A piece of a step's log: `next` is where the following read starts, `size` the log's size now. */
export interface LogPiece {
  readonly text: string;
  readonly next: number;
  readonly size: number;
}

/** A live run-directory file opened for reading (its handle is the caller's to close). */
export interface OpenedRunFile {
  readonly handle: FileHandle;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * How the hub reads what is in a job's run directory while it lives there (process files
 * before they are stored, step logs). Chosen once, in createHub: the routes never know
 * where a run directory is.
 */
export interface RunFiles {
  /** A step's log from byte `offset`, or FILE_ITEM_GONE saying why not. */
  stepLog(job: Job, steps: readonly JobStep[], step: string, offset: number): Promise<LogPiece>;
  /** A live process or result file, opened; FILE_ITEM_GONE when it cannot be. */
  open(job: Job, item: JobItem): Promise<OpenedRunFile>;
  /** The last `maxBytes` of a live file as text; FILE_ITEM_GONE when it cannot be read. */
  tail(job: Job, item: JobItem, maxBytes: number): Promise<string>;
}

/**
 * The run files of a hub: read from its own disk (a run directory of the job's own under
 * `<workdir>/jobs`, whatever its row says), and a step log that is not there is asked of
 * the job's resource machine (`joblog_<rid>`), which reads it on its host. Live process
 * files of a remote agent's jobs reach the hub as stored copies instead.
 */
export function createRunFiles(deps: {
  readonly workdir: string;
  readonly call: (
    service: string,
    method: string,
    kwargs: Record<string, unknown>,
  ) => Promise<Reply<unknown>>;
}): RunFiles {
  const root = jobsRoot(deps.workdir);
  const gone = (item: JobItem, reason: string) =>
    mirrorError('FILE_ITEM_GONE', {
      jobid: item.jobId,
      section: item.section,
      key: item.key,
      file: item.value,
      reason,
    });
  return {
    async stepLog(job, steps, step, offset) {
      const read = await readStepLog(job, steps, step, offset, deps.workdir);
      if (read !== 'missing') return read;
      // Not on this host: the run directory is on the job's resource machine, which reads it.
      if (job.rid === null) throw stepLogGone(job.id, step, 'it does not exist');
      const [code, value] = await deps.call(`joblog_${job.rid}`, 'do', { job_id: job.id, step, offset });
      if (code !== 0) throw stepLogGone(job.id, step, `rid ${job.rid} answered: ${String(value)}`);
      return value as LogPiece;
    },
    async open(job, item) {
      const runDir = ownRunDir(root, job);
      if (runDir === undefined) throw gone(item, 'the job has no run directory on this hub');
      const opened = await openRunFile(runDir, item.value, `${item.section} ${item.key}`);
      if (opened.kind === 'missing') throw gone(item, 'it does not exist (yet)');
      if (opened.kind === 'skipped') throw gone(item, opened.warning);
      const { mtimeMs } = await opened.handle.stat();
      return { handle: opened.handle, size: opened.size, mtimeMs };
    },
    async tail(job, item, maxBytes) {
      const runDir = ownRunDir(root, job);
      if (runDir === undefined) throw gone(item, 'the job has no run directory on this hub');
      const read = await readRunFile(runDir, item.value, `${item.section} ${item.key}`, {
        mode: 'tail',
        bytes: maxBytes,
      });
      if (read.kind === 'missing') throw gone(item, 'it does not exist (yet)');
      if (read.kind === 'skipped') throw gone(item, read.warning);
      return read.text;
    },
  };
}
