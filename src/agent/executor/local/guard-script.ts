import { spawnSync } from 'node:child_process';
import { mirrorError } from '../../../core/index.js';

/**
 * The environment variable that tags every process of every step of one executor, with
 * a value that lives as long as the executor (next to each step's `MIRROR_STEP_TOKEN`).
 */
export const AGENT_TOKEN_VAR = 'MIRROR_AGENT_TOKEN';

/** The shell the guard runs under. */
export const GUARD_SHELL = '/bin/sh';

/** Where the guard looks for `grep` and `sleep`, unless the executor is told otherwise. */
export const DEFAULT_GUARD_PATH = '/usr/local/bin:/usr/bin:/bin';

/** The guard's `$0`: how it shows in `ps` next to its script. */
const GUARD_NAME = 'mirror-step-guard';

/** Longest wait for the availability probe, in ms. */
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Lists, as `<pid>/environ` lines, the processes whose environment holds `$1` as one
 * whole entry (`grep -z` splits at NULs, `-x` matches a whole entry, `-F` no regex).
 * Unreadable and vanished processes are skipped (`-s`).
 */
const SCAN = 'scan() { cd /proc && grep -lsxzF -e "$1" -- [0-9]*/environ; }';

/**
 * The guard, a POSIX sh script run as `sh -c GUARD_SCRIPT mirror-step-guard <token>`
 * with a pipe from the agent as stdin. The token is an argument, not in its environment,
 * so the guard never finds itself (nor the agent, which does not carry it either).
 *
 * While its stdin is open it reads lines `+<pgid>` (a step's process group started) and
 * `-<pgid>` (that step's tree is gone), keeping the set of live groups. At end of input
 * (the agent closed it, or died: the kernel closes a dead process's descriptors) it
 * sends SIGKILL to each live group and to every process carrying
 * `MIRROR_AGENT_TOKEN=<token>`, in rounds, until two scans in a row find nothing to kill
 * (a process may fork between a scan and its kill; the next round gets the child), then
 * exits 0. A zombie's environment reads empty, so the dead are not waited for.
 * The group kill reaches members that dropped the token (`env -i`); the token reaches
 * those that left the group (`setsid`, double fork).
 */
export const GUARD_SCRIPT = [
  `# ${GUARD_NAME}: kills the steps of a dead agent`,
  SCAN,
  `entry="${AGENT_TOKEN_VAR}=$1"`,
  'groups=" "',
  'while read -r line; do',
  '  id=${line#?}',
  '  case $id in "" | *[!0-9]*) continue ;; esac',
  '  case $line in',
  '  +*) groups="$groups$id " ;;',
  '  -*) case $groups in *" $id "*) groups="${groups%%" $id "*} ${groups#*" $id "}" ;; esac ;;',
  '  esac',
  'done',
  'empty=0',
  'while [ "$empty" -lt 2 ]; do',
  '  for id in $groups; do kill -s KILL -- "-$id" 2>/dev/null; done',
  '  found=',
  '  for file in $(scan "$entry"); do kill -s KILL -- "${file%/environ}" 2>/dev/null && found=1; done',
  '  if [ -n "$found" ]; then empty=0; sleep 0.02; else empty=$((empty + 1)); fi',
  'done',
].join('\n');

/** The arguments of `GUARD_SHELL` that run the guard for `token`. */
export function guardArgs(token: string): string[] {
  return ['-c', GUARD_SCRIPT, GUARD_NAME, token];
}

/** The guard's whole environment: a fixed PATH and the C locale (byte-exact, fastest grep). */
export function guardEnv(guardPath: string): Record<string, string> {
  return { PATH: guardPath, LC_ALL: 'C' };
}

/**
 * Checks that the guard can do its work on this host: runs the guard's own scan of
 * /proc, under the guard's shell and PATH, for a value this probe puts in its own
 * environment, and expects to find itself. Throws EXECUTOR_UNAVAILABLE when `sh`,
 * a `grep` that knows `-z` (GNU grep) or /proc is missing.
 */
export function probeGuard(guardPath: string, probeToken: string): void {
  const result = spawnSync(
    GUARD_SHELL,
    ['-c', `${SCAN}\nscan "${AGENT_TOKEN_VAR}=$1"`, GUARD_NAME, probeToken],
    {
      env: { ...guardEnv(guardPath), [AGENT_TOKEN_VAR]: probeToken },
      cwd: '/',
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: PROBE_TIMEOUT_MS,
    },
  );
  // Not the exit status: grep says 2 when some process vanished between the glob and its read.
  if (/^[1-9][0-9]*\/environ$/m.test(result.stdout ?? '')) return;
  const why =
    result.error?.message ??
    (result.stderr.trim() || `exit ${String(result.status ?? result.signal)}, nothing found`);
  throw mirrorError(
    'EXECUTOR_UNAVAILABLE',
    { reason: `the step guard cannot scan /proc with grep -z on PATH ${guardPath} (${why})` },
    result.error,
  );
}
