import { mirrorError, type MirrorError } from '../core/index.js';
import { jobsRoot, ownRunDir } from './run-dirs.js';
import { readLogChunk } from './step-log.js';

/**
 * A piece of a step's log from byte `offset`, read from the job's run directory on this
 * host (one of its own under `<workdir>/jobs`, never a path its row names elsewhere); `next` is where the following read starts (tail -f), `size` the log's size now. A step that has not run,
 * or whose log is gone or refused, is FILE_ITEM_GONE saying why; `missing` tells the
 * caller the file is not on this host at all.
 */
export async function readStepLog(
  job: { readonly id: number; readonly path: string | null },
  steps: readonly { readonly stepId: string; readonly logPath: string | null }[],
  stepName: string,
  offset: number,
  workdir: string,
): Promise<{ text: string; next: number; size: number } | 'missing'> {
  const step = steps.find((s) => s.stepId === stepName);
  if (!step?.logPath || job.path === null) throw stepLogGone(job.id, stepName, 'the step has not run');
  const runDir = ownRunDir(jobsRoot(workdir), job);
  if (runDir === undefined) return 'missing';
  const chunk = await readLogChunk(runDir, step.logPath, `step ${stepName} log`, offset);
  if (chunk.kind === 'skipped') throw stepLogGone(job.id, stepName, chunk.warning);
  if (chunk.kind === 'missing') return 'missing';
  return { text: chunk.text, next: chunk.next, size: chunk.size };
}

/** The error for a step's log that cannot be read, saying why. */
export function stepLogGone(jobId: number, stepName: string, reason: string): MirrorError {
  return mirrorError('FILE_ITEM_GONE', {
    jobid: jobId,
    section: 'log',
    key: stepName,
    file: `.mirror/logs/${stepName}.log`,
    reason,
  });
}
