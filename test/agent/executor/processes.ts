// Helpers for executor tests: looking at real processes and log files.
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The shell-quoted path of a fixture program, ready to put in a step command. */
export function program(name: string, ...args: string[]): string {
  const file = fileURLToPath(new URL(`../../fixtures/programs/${name}`, import.meta.url));
  return [file, ...args].map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(' ');
}

/** True when `pid` no longer exists at all: `kill(pid, 0)` fails with ESRCH. */
export function isReaped(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true;
    throw err;
  }
}

/**
 * True when `pid` runs no more: reaped, or a zombie. An orphan that was killed is
 * reaped by PID 1; where PID 1 does not reap (some sandboxes), it stays a zombie,
 * which is dead all the same.
 */
export function isGone(pid: number): boolean {
  return isReaped(pid) || procStat(pid)?.state === 'Z';
}

/** State, parent, process group and session of `pid` from /proc/<pid>/stat; undefined when gone. */
export function procStat(
  pid: number,
): { state: string; ppid: number; pgid: number; sid: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  const [state = '', ppid = '', pgid = '', sid = ''] = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state, ppid: Number(ppid), pgid: Number(pgid), sid: Number(sid) };
}

/** Waits until the log file matches `pattern` (up to `timeoutMs`), and returns its text. */
export async function waitForLog(file: string, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (pattern.test(text)) return text;
    if (performance.now() > deadline)
      throw new Error(`log ${file} never matched ${String(pattern)}:\n${text}`);
    await sleep(20);
  }
}

/** The integer the log prints after `label ` (e.g. `child 1234`). */
export function pidInLog(log: string, label: string): number {
  const match = new RegExp(`^${label} (\\d+)$`, 'm').exec(log);
  if (!match?.[1]) throw new Error(`no "${label} <pid>" line in the log:\n${log}`);
  return Number(match[1]);
}

/**
 * Polls `probe` every 25 ms until `done` holds of its value or `limitMs` have passed,
 * and returns the last value either way (never rejects): the caller asserts on it.
 */
export async function pollUntil<T>(
  probe: () => Promise<T> | T,
  done: (value: T) => boolean,
  limitMs = 10_000,
): Promise<T> {
  const end = performance.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (done(value) || performance.now() > end) return value;
    await sleep(25);
  }
}

/** The value of `name` in the environment of `pid`; undefined when absent or unreadable. */
export function envOf(pid: number, name: string): string | undefined {
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return undefined;
  }
  const entry = environ.split('\0').find((e) => e.startsWith(`${name}=`));
  return entry?.slice(name.length + 1);
}

/**
 * The pids of live processes that have `arg` as one of their arguments (a zombie's
 * command line reads empty): how a test finds an executor's guard, whose last argument
 * is the agent token.
 */
export function pidsWithArg(arg: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^[1-9][0-9]*$/.test(name) || Number(name) === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${name}/cmdline`, 'latin1');
    } catch {
      continue;
    }
    if (cmdline.split('\0').includes(arg)) found.push(Number(name));
  }
  return found;
}

/** Sends SIGKILL to each pid, skipping those already gone; returns the ones that were alive. */
export function killAll(pids: Iterable<number>): number[] {
  const alive: number[] = [];
  for (const pid of pids) {
    if (isGone(pid)) continue;
    alive.push(pid);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Ended on its own meanwhile.
    }
  }
  return alive;
}
