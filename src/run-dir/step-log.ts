import { openRunFile } from './read-run-file.js';

/** The most of a step's log one read answers, bytes. */
export const MAX_LOG_CHUNK = 1024 * 1024;

/** A piece of a step's log and where the next read starts; or why there is none. */
export type LogChunk =
  | { readonly kind: 'read'; readonly text: string; readonly next: number; readonly size: number }
  | { readonly kind: 'missing' }
  | { readonly kind: 'skipped'; readonly warning: string };

/**
 * Reads a step's log in its run directory from byte `offset` (at most MAX_LOG_CHUNK),
 * with the refusals of openRunFile (no link out of the run directory). An offset past
 * the end reads nothing and answers the end.
 */
export async function readLogChunk(
  runDir: string,
  logPath: string,
  what: string,
  offset: number,
): Promise<LogChunk> {
  const opened = await openRunFile(runDir, logPath, what);
  if (opened.kind === 'missing') return { kind: 'missing' };
  if (opened.kind === 'skipped') return { kind: 'skipped', warning: opened.warning };
  try {
    const start = Math.min(offset, opened.size);
    const length = Math.min(MAX_LOG_CHUNK, opened.size - start);
    const buffer = Buffer.alloc(length);
    await opened.handle.read(buffer, 0, length, start);
    return { kind: 'read', text: buffer.toString('utf8'), next: start + length, size: opened.size };
  } finally {
    await opened.handle.close();
  }
}
