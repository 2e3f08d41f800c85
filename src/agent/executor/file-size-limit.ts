import type { StepLaunch } from './executor.js';

/**
 * The command, run under the file size limit when there is one: `ulimit -f` (512-byte
 * blocks, POSIX) in the step's own shell before anything of it runs, inherited by all it
 * starts. Rounded up, one block more: a file stopped by it has just passed the limit, so
 * whoever measures sees it passed.
 */
export function withFileSizeLimit(launch: Pick<StepLaunch, 'command' | 'maxFileBytes'>): string {
  if (launch.maxFileBytes === undefined) return launch.command;
  const blocks = Math.ceil(launch.maxFileBytes / 512) + 1;
  return `ulimit -f ${blocks} || exit 125\n${launch.command}`;
}
