import path from 'node:path';
import { relativePathProblem, quoteName } from '../archive/index.js';
import { mirrorError } from '../core/index.js';

/** What an adapter path may reach of `.mirror/`: nothing, or read `.mirror/logs/` files. */
export type MirrorAccess = 'none' | 'logs';

/**
 * Why a run-directory path is out of an adapter's reach: it points into `.mirror/`
 * (with `logs`, a file under `.mirror/logs/` is allowed), or undefined when it is not.
 */
export function mirrorAreaProblem(relPath: string, access: MirrorAccess = 'none'): string | undefined {
  const parts = relPath.split('/');
  if (parts[0] !== '.mirror') return undefined;
  if (access === 'logs') {
    return parts[1] === 'logs' && parts.length > 2
      ? undefined
      : 'path points into .mirror/ (only .mirror/logs/ may be read)';
  }
  return 'path points into .mirror/';
}

/**
 * Why `relPath` cannot name a place in a run directory: the Names rules, or `.mirror/`.
 * `.` (the run directory itself) is accepted when `root` is true.
 */
export function runPathProblem(
  relPath: string,
  access: MirrorAccess = 'none',
  root = false,
): string | undefined {
  if (relPath === '.' && root) return undefined;
  const normal = relPath.normalize('NFC');
  return relativePathProblem(normal, 'the run directory') ?? mirrorAreaProblem(normal, access);
}

/**
 * The absolute path of a (rendered) adapter path inside a job's run directory, refusing
 * any path that would leave it or reach into `.mirror/`: PATH_INVALID naming `what`
 * and the value. `.` is the run directory itself. String-level only: whether a link on
 * the way leads out is checked where the file is opened.
 */
export function pathInRunDirectory(
  runDir: string,
  relPath: string,
  what: string,
  access: MirrorAccess = 'none',
): string {
  const root = path.resolve(runDir);
  const reason = runPathProblem(relPath, access, true);
  if (reason !== undefined) throw mirrorError('PATH_INVALID', { what, path: quoteName(relPath), reason });
  if (relPath === '.') return root;
  const abs = path.join(root, ...relPath.normalize('NFC').split('/'));
  const rel = path.relative(root, abs);
  if (rel === '' || rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) {
    throw mirrorError('PATH_INVALID', {
      what,
      path: quoteName(relPath),
      reason: 'path leaves the run directory',
    });
  }
  return abs;
}
