import { lstat, mkdir, open, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { pathInRunDirectory } from '../calc-package/index.js';
import { mirrorError } from '../core/index.js';

/**
 * Prepares a place to write inside a run directory without ever writing through a link
 * a step may have planted: every directory on the way must be a real directory (a link
 * is refused, naming it); missing ones are made when `createParents`, else refused;
 * whatever stands at the target itself (a file or a link) is removed, a directory only
 * when `replaceDirectory`. Answers the absolute target path.
 */
export async function prepareTarget(
  runDir: string,
  relPath: string,
  what: string,
  options: TargetOptions,
): Promise<string> {
  const target = await checkTarget(runDir, relPath, what, options);
  await realDirectories(runDir, dirname(target), relPath, what, options.createParents ? 'make' : 'refuse');
  const existing = await lstat(target).catch(() => undefined);
  if (existing) await rm(target, { recursive: true, force: true });
  return target;
}

export interface TargetOptions {
  readonly createParents: boolean;
  readonly replaceDirectory?: boolean;
}

/**
 * Checks, changing nothing, that `prepareTarget` with the same arguments would succeed
 * as things stand now; answers the absolute target path. Lets a phase check every
 * target before it writes the first one.
 */
export async function checkTarget(
  runDir: string,
  relPath: string,
  what: string,
  options: TargetOptions,
): Promise<string> {
  const target = pathInRunDirectory(runDir, relPath, what);
  await realDirectories(runDir, dirname(target), relPath, what, options.createParents ? 'check' : 'refuse');
  const existing = await lstat(target).catch(() => undefined);
  if (existing?.isDirectory() && !options.replaceDirectory) {
    throw mirrorError('RUN_PATH_BLOCKED', {
      what,
      path: JSON.stringify(relPath),
      blocker: relPath,
      kind: 'a directory',
    });
  }
  return target;
}

/** Makes (or checks) a directory inside a run directory, every component a real directory. */
export async function prepareDirectory(runDir: string, relPath: string, what: string): Promise<string> {
  const dir = pathInRunDirectory(runDir, relPath, what);
  await realDirectories(runDir, dir, relPath, what, 'make');
  return dir;
}

/**
 * A fresh, empty log file for a step, `.mirror/logs/<step>.log`: whatever stood there
 * (an old log, or a link a step planted) is removed first, and `.mirror` and
 * `.mirror/logs` must be real directories, so truncating a log never writes elsewhere.
 */
export async function freshStepLog(runDir: string, stepId: string): Promise<string> {
  const logs = join(runDir, '.mirror', 'logs');
  await realDirectories(runDir, logs, `.mirror/logs/${stepId}.log`, 'step log', 'refuse');
  const file = join(logs, `${stepId}.log`);
  await rm(file, { force: true, recursive: true });
  await (await open(file, 'wx', 0o644)).close();
  return file;
}

/**
 * Walks from the run directory down to `dir`, refusing links and non-directories. A
 * missing directory is made (`make`), accepted with nothing below it checked (`check`),
 * or refused (`refuse`).
 */
async function realDirectories(
  runDir: string,
  dir: string,
  relPath: string,
  what: string,
  missing: 'make' | 'check' | 'refuse',
): Promise<void> {
  const parts = relative(runDir, dir)
    .split(sep)
    .filter((p) => p !== '');
  let here = runDir;
  for (const part of parts) {
    here = join(here, part);
    const info = await lstat(here).catch(() => undefined);
    if (!info) {
      if (missing === 'refuse') {
        throw mirrorError('RUN_PATH_MISSING', {
          what,
          path: JSON.stringify(relPath),
          missing: relative(runDir, here),
        });
      }
      if (missing === 'check') return;
      await mkdir(here);
    } else if (!info.isDirectory()) {
      throw mirrorError('RUN_PATH_BLOCKED', {
        what,
        path: JSON.stringify(relPath),
        blocker: relative(runDir, here),
        kind: info.isSymbolicLink() ? 'a symbolic link' : 'not a directory',
      });
    }
  }
}
