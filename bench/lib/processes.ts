// Real processes for the figures that need them: `mirror serve` and `mirror agent`
// (bin/mirror.mjs), and the baselines' own small servers (bench/servers/*.ts run
// through tsx). Each is stopped when its scope closes: SIGINT, then SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Scope } from './scope.js';

const BIN = fileURLToPath(new URL('../../bin/mirror.mjs', import.meta.url));
const SERVERS = fileURLToPath(new URL('../servers/', import.meta.url));
/** How long a process has to stop after SIGINT before it is killed, ms. */
const STOP_GRACE_MS = 10_000;

export interface BenchProcess {
  readonly pid: number;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Waits until its output matches `pattern`; answers the match. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGINT, then SIGKILL if it has not exited in time. Idempotent. */
  stop(): Promise<void>;
}

/** The environment children start from: this one's PATH and HOME, nothing else. */
export function childEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin' };
  if (process.env.HOME !== undefined) env['HOME'] = process.env.HOME;
  return env;
}

/**
 * Starts `mirror <args> --workdir <workdir> --set k=v ...` (bin/mirror.mjs, or the CLI
 * entry given as `entry`), stopped when `scope` closes.
 */
export function startMirror(
  scope: Scope,
  args: readonly string[],
  workdir: string,
  sets: Readonly<Record<string, string>> = {},
  entry: string = BIN,
): BenchProcess {
  const argv = [entry, ...args, '--workdir', workdir];
  for (const [key, value] of Object.entries(sets)) argv.push('--set', `${key}=${value}`);
  return startProcess(scope, process.execPath, argv);
}

/** Starts `bench/servers/<name>.ts <args>` through tsx, stopped when `scope` closes. */
export function startServer(scope: Scope, name: string, args: readonly string[]): BenchProcess {
  return startProcess(scope, process.execPath, ['--import', 'tsx', `${SERVERS}${name}.ts`, ...args]);
}

function startProcess(scope: Scope, command: string, argv: readonly string[]): BenchProcess {
  const child: ChildProcess = spawn(command, argv, { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  let exited = false;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
  };
  const onData = (chunk: Buffer) => {
    seen += chunk.toString();
    wake();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      wake();
      resolve();
    }),
  );
  let stopping: Promise<void> | undefined;
  const proc: BenchProcess = {
    pid: child.pid ?? -1,
    output: () => seen,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        const check = () => {
          const match = pattern.exec(seen);
          if (match) done(() => resolve(match));
          else if (exited) done(() => reject(new Error(`exited before printing ${pattern}:\n${seen}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${seen}`))),
          timeoutMs,
        );
        waiters.add(check);
        check();
      });
    },
    stop() {
      stopping ??= (async () => {
        if (exited) return;
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exit;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
  scope.defer(() => proc.stop());
  return proc;
}

/** A process's resident set size, MiB (VmRSS of /proc/<pid>/status). */
export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) / 1024;
}

/** CPU time a process has used so far (user + system, itself only), s; clock ticks of 10 ms. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
