import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { errorCode, resolveRunPath, skippedPath } from './resolve-run-path.js';

/** How much of a monitored file `tail` reads by default: the last 1 MiB. */
export const DEFAULT_TAIL_BYTES = 1024 * 1024;
/** The largest file a `full` read accepts by default: 16 MiB. */
export const DEFAULT_FULL_MAX_BYTES = 16 * 1024 * 1024;

/**
 * How much of a file to read: `tail` the last `bytes` (default 1 MiB; the partial line
 * the cut lands in is dropped), or `full` the whole file when it is at most `maxBytes`
 * (default 16 MiB; a larger file is skipped with a warning).
 */
export type ReadMode =
  { readonly mode: 'tail'; readonly bytes?: number } | { readonly mode: 'full'; readonly maxBytes?: number };

/**
 * A file of the run directory opened for reading (the caller closes `handle`):
 * `path` is where it really is, `size` its size in bytes when opened.
 */
export type OpenedRunFile =
  | { readonly kind: 'opened'; readonly handle: FileHandle; readonly path: string; readonly size: number }
  | { readonly kind: 'missing'; readonly path: string }
  | { readonly kind: 'skipped'; readonly warning: string };

/**
 * A file of the run directory read as UTF-8 text (malformed bytes become U+FFFD):
 * `size` is the file's size in bytes, `truncated` true when a tail read left out its
 * beginning.
 */
export type RunFileRead =
  | {
      readonly kind: 'read';
      readonly path: string;
      readonly text: string;
      readonly size: number;
      readonly truncated: boolean;
    }
  | { readonly kind: 'missing'; readonly path: string }
  | { readonly kind: 'skipped'; readonly warning: string };

// O_NOFOLLOW: a link swapped in at the last moment is not followed (ELOOP);
// O_NONBLOCK: a FIFO swapped in cannot block the open.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Opens a regular file named by the adapter (`relPath`, rendered) in `runDir`, or says
 * why not. Refused with a warning, never thrown: a path leaving the run directory or
 * reaching into `.mirror/` (but `.mirror/logs/`), a symbolic link on the way leading
 * out, a directory, FIFO, socket or device. The opened descriptor is fstat'ed and must
 * be the very file that was checked, so swapping an entry between check and open wins
 * nothing. `what` names the file in warnings (`Progress file`).
 */
export async function openRunFile(runDir: string, relPath: string, what: string): Promise<OpenedRunFile> {
  const resolved = await resolveRunPath(runDir, relPath, what);
  if (resolved.kind !== 'found') return resolved;
  const kind = fileKind(resolved.stat);
  if (kind !== 'file') return skippedPath(what, relPath, `is a ${kind}, not a regular file`);
  let handle: FileHandle;
  try {
    handle = await open(resolved.realPath, OPEN_FLAGS);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT') return { kind: 'missing', path: resolved.realPath };
    if (code === undefined) throw err;
    return skippedPath(what, relPath, `cannot be opened: ${(err as Error).message}`);
  }
  try {
    const stat = await handle.stat();
    if (stat.dev !== resolved.stat.dev || stat.ino !== resolved.stat.ino || !stat.isFile()) {
      await handle.close();
      return skippedPath(what, relPath, 'changed while it was being opened');
    }
    return { kind: 'opened', handle, path: resolved.realPath, size: stat.size };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/**
 * Reads a file named by the adapter in `runDir` with `openRunFile`'s refusals, bounded
 * by `mode` (see ReadMode). Missing and skipped files are results, not errors.
 */
export async function readRunFile(
  runDir: string,
  relPath: string,
  what: string,
  mode: ReadMode = { mode: 'tail' },
): Promise<RunFileRead> {
  const opened = await openRunFile(runDir, relPath, what);
  if (opened.kind !== 'opened') return opened;
  const { handle, size } = opened;
  try {
    let start = 0;
    if (mode.mode === 'tail') {
      start = Math.max(0, size - (mode.bytes ?? DEFAULT_TAIL_BYTES));
    } else {
      const limit = mode.maxBytes ?? DEFAULT_FULL_MAX_BYTES;
      if (size > limit) return skippedPath(what, relPath, `is ${size} bytes, over the limit of ${limit}`);
    }
    if (start === 0) {
      const text = (await readRange(handle, 0, size)).toString('utf8');
      return { kind: 'read', path: opened.path, text, size, truncated: false };
    }
    // A tail starts mid-line (perhaps mid-character): keep whole lines only. Reading
    // one byte before the cut tells whether the first line is whole.
    const bytes = await readRange(handle, start - 1, size - start + 1);
    const newline = bytes.indexOf(0x0a);
    const text = newline < 0 ? '' : bytes.subarray(newline + 1).toString('utf8');
    return { kind: 'read', path: opened.path, text, size, truncated: true };
  } finally {
    await handle.close();
  }
}

/** Reads `length` bytes at `position`, fewer if the file shrank meanwhile. */
async function readRange(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** What a (non-link) directory entry is, in warnings' words. */
export function fileKind(stat: Stats): 'file' | 'directory' | 'FIFO' | 'socket' | 'device' | 'special file' {
  if (stat.isFile()) return 'file';
  if (stat.isDirectory()) return 'directory';
  if (stat.isFIFO()) return 'FIFO';
  if (stat.isSocket()) return 'socket';
  if (stat.isBlockDevice() || stat.isCharacterDevice()) return 'device';
  return 'special file';
}
