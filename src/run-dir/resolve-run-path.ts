import type { Stats } from 'node:fs';
import { lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { quoteName } from '../archive/index.js';
import { mirrorAreaProblem, pathInRunDirectory } from '../calc-package/index.js';
import { formatMessage, isMirrorError } from '../core/index.js';

/**
 * Where an adapter path leads in a run directory, found without opening anything:
 *
 * - `found`: `realPath` is the entry itself (every link on the way followed and
 *   checked), `stat` its lstat (never a link);
 * - `missing`: it does not exist (yet), or a component on the way is not a directory;
 * - `skipped`: it must not be read; `warning` says why (MONITOR_FILE_SKIPPED).
 */
export type ResolvedRunPath =
  | { readonly kind: 'found'; readonly realPath: string; readonly stat: Stats }
  | { readonly kind: 'missing'; readonly path: string }
  | { readonly kind: 'skipped'; readonly warning: string };

/**
 * Resolves `relPath` (already rendered) in `runDir`, reading `.mirror/logs/` at most.
 * The string is checked by `pathInRunDirectory`; then each component is lstat'ed from
 * the run directory down, and a symbolic link is allowed only when it leads to a place
 * inside the run directory and out of `.mirror/` (other than `.mirror/logs/`). The
 * run directory itself (`.`, or a link to it) is refused: its zip would carry `.mirror/`.
 * `what` names the path in warnings (`Result mesh file`).
 */
export async function resolveRunPath(
  runDir: string,
  relPath: string,
  what: string,
): Promise<ResolvedRunPath> {
  try {
    return await resolve(runDir, relPath, what);
  } catch (err) {
    // EACCES, EIO and the like: this file cannot be monitored, the others still can.
    if (errorCode(err) === undefined) throw err;
    return skippedPath(what, relPath, `cannot be read: ${(err as Error).message}`);
  }
}

/** A `skipped` result whose warning names `what`, the path and the reason. */
export function skippedPath(
  what: string,
  relPath: string,
  reason: string,
): ResolvedRunPath & { kind: 'skipped' } {
  return {
    kind: 'skipped',
    warning: formatMessage('MONITOR_FILE_SKIPPED', { what, path: quoteName(relPath), reason }),
  };
}

async function resolve(runDir: string, relPath: string, what: string): Promise<ResolvedRunPath> {
  const skipped = (reason: string): ResolvedRunPath => skippedPath(what, relPath, reason);
  let abs: string;
  try {
    abs = pathInRunDirectory(runDir, relPath, what, 'logs');
  } catch (err) {
    if (isMirrorError(err, 'PATH_INVALID')) return skipped(String(err.params['reason']));
    throw err;
  }
  const missing: ResolvedRunPath = { kind: 'missing', path: abs };
  const lexicalRoot = path.resolve(runDir);
  if (abs === lexicalRoot) return skipped('it names the run directory itself');

  const root = await orMissing(realpath(lexicalRoot));
  if (root === undefined) return missing;
  const parts = path.relative(lexicalRoot, abs).split(path.sep);
  let current = root;
  let stat: Stats | undefined;
  for (const [index, part] of parts.entries()) {
    const next = path.join(current, part);
    stat = await orMissing(lstat(next));
    if (stat === undefined) return missing;
    if (stat.isSymbolicLink()) {
      const shown = parts.slice(0, index + 1).join('/');
      const followed = await followLink(next, root);
      if (followed.kind === 'missing') return missing;
      if (followed.kind === 'refused') return skipped(`${quoteName(shown)} ${followed.reason}`);
      current = followed.realPath;
      stat = followed.stat;
    } else {
      current = next;
    }
    if (index < parts.length - 1 && !stat.isDirectory()) return missing;
  }
  if (stat === undefined) return missing;
  // Links may have led somewhere the string check never saw.
  const rel = path.relative(root, current);
  if (rel === '') return skipped('it leads to the run directory itself');
  const area = mirrorAreaProblem(rel.split(path.sep).join('/'), 'logs');
  if (area !== undefined) return skipped(`a symbolic link on the way leads into .mirror/: ${area}`);
  return { kind: 'found', realPath: current, stat };
}

/** True when `target` is `root` or below it (both absolute, normalised). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

type Followed =
  | { kind: 'found'; realPath: string; stat: Stats }
  | { kind: 'missing' }
  | { kind: 'refused'; reason: string };

/** Follows the link at `linkPath` (whose parent is a real path) all the way, checking where it ends. */
async function followLink(linkPath: string, root: string): Promise<Followed> {
  const out = { kind: 'refused', reason: 'is a symbolic link leading out of the run directory' } as const;
  let real: string;
  try {
    real = await realpath(linkPath);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ELOOP') return { kind: 'refused', reason: 'is a symbolic link loop' };
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
    // A dangling link: refuse it if its first hop already leaves, else it is not there yet.
    const target = path.resolve(path.dirname(linkPath), await readlink(linkPath));
    return isInside(root, target) ? { kind: 'missing' } : out;
  }
  if (!isInside(root, real)) return out;
  const stat = await orMissing(lstat(real));
  return stat === undefined ? { kind: 'missing' } : { kind: 'found', realPath: real, stat };
}

/** The value, or undefined when the path does not exist or crosses a non-directory. */
async function orMissing<T>(pending: Promise<T>): Promise<T | undefined> {
  try {
    return await pending;
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** The `code` of a Node system error, if any. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}
