import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, statSync } from 'node:fs';
import type { StepLaunch } from '../executor.js';
import { withFileSizeLimit } from '../file-size-limit.js';

/** The shell every step command runs under. */
export const STEP_SHELL = '/bin/sh';

/** A spawned step's main process, or why there is none. */
export type Spawned =
  | { readonly started: true; readonly child: ChildProcess; readonly pid: number }
  | { readonly started: false; readonly reason: Promise<string> };

/**
 * Starts `/bin/sh -c <command>` in its own process group (detached), in `cwd`, with
 * exactly `env` plus the `tags` (the token variables), stdin closed and stdout and stderr
 * both appended to the log file. The log file's descriptor is the child's only: the
 * parent closes its copy at once. Never throws: a failure to open the log or to spawn
 * (a missing workpath reports as ENOENT, asynchronously) comes back as a reason.
 */
export function spawnStep(launch: StepLaunch, tags: Readonly<Record<string, string>>): Spawned {
  let logFd: number;
  try {
    logFd = openSync(launch.logFile, 'a');
  } catch (err) {
    return notStarted(`cannot open log file ${launch.logFile}: ${messageOf(err)}`);
  }
  let child: ChildProcess;
  try {
    child = spawn(STEP_SHELL, ['-c', withFileSizeLimit(launch)], {
      cwd: launch.cwd,
      env: { ...launch.env, ...tags },
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
  } catch (err) {
    // Invalid arguments (a NUL byte in the command or the environment) throw at once.
    return notStarted(`cannot start ${STEP_SHELL}: ${messageOf(err)}`);
  } finally {
    closeSync(logFd);
  }
  if (child.pid === undefined) {
    const reason = new Promise<string>((resolve) => {
      child.once('error', (err) => resolve(spawnFailure(launch, err)));
    });
    return { started: false, reason };
  }
  // After a successful spawn 'error' only reports a failed kill() or send(), which are
  // not used here; a listener keeps such an event from crashing the agent.
  child.on('error', () => undefined);
  return { started: true, child, pid: child.pid };
}

/** Explains a spawn error; ENOENT for an existing /bin/sh means the workpath is missing. */
function spawnFailure(launch: StepLaunch, err: Error): string {
  const problem = workpathProblem(launch.cwd);
  return problem ?? `cannot start ${STEP_SHELL}: ${err.message}`;
}

/** What is wrong with the workpath, or undefined when it is a directory. */
function workpathProblem(cwd: string): string | undefined {
  try {
    return statSync(cwd).isDirectory() ? undefined : `workpath ${cwd} is not a directory`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return `workpath ${cwd} does not exist`;
    return `workpath ${cwd} cannot be used: ${messageOf(err)}`;
  }
}

function notStarted(reason: string): Spawned {
  return { started: false, reason: Promise.resolve(reason) };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
