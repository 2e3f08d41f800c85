import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';

/** The environment variable that tags every process of a step's tree. */
export const STEP_TOKEN_VAR = 'MIRROR_STEP_TOKEN';

/** What identifies a step's tree: its token and, when known, its process group id. */
export interface TreeKey {
  readonly token: string;
  readonly pgid?: number;
  /**
   * When known, the start time of the step's main process (clock ticks since boot, as
   * /proc/<pid>/stat gives it; see processStartTime). The token is fresh for the step, so
   * only its descendants carry it, and none of them started earlier: the environment of
   * an older process is not read (a scan then reads one small file per process, not two).
   */
  readonly startedAt?: number;
}

/** A live process of a step's tree. */
export interface TreeProcess {
  readonly pid: number;
  /** Its process group id, as /proc shows it now. */
  readonly pgid: number;
}

/**
 * Lists the live processes of a step's tree: every process whose environment holds
 * `MIRROR_STEP_TOKEN=<token>` (so one that called `setsid` or double-forked is still
 * found) plus every member of process group `pgid`. Dead processes (zombies) are not
 * listed: they run nothing and only wait for their parent to reap them. Processes that
 * vanish mid-scan or whose files may not be read are skipped; this process is never
 * listed. Rejects only when /proc itself cannot be listed.
 */
export async function findTree(key: TreeKey): Promise<TreeProcess[]> {
  return scanProc(Buffer.from(`${STEP_TOKEN_VAR}=${key.token}`), key.pgid, key.startedAt);
}

/**
 * The start time of a live (or not yet reaped) process, in clock ticks since boot;
 * undefined when it cannot be read. Called right after a spawn, before the child can be
 * reaped.
 */
export function processStartTime(pid: number): number | undefined {
  const raw = readProcFile(pid, 'stat');
  return raw === undefined ? undefined : parseProcStat(raw)?.startTime;
}

/**
 * Lists the live processes holding `needle` as a whole environment entry, or in group
 * `pgid`; with `startedAt`, only processes started at or after it can hold the entry.
 * The /proc files are read synchronously: the kernel makes them up on the spot, never
 * waiting for a disk, so reading them through the thread pool only adds round trips (a
 * scan of ~100 processes took 10–17 ms that way, 1–2 ms this way).
 */
async function scanProc(
  needle: Buffer,
  pgid: number | undefined,
  startedAt?: number,
): Promise<TreeProcess[]> {
  const pids = (await readdir('/proc'))
    .filter((name) => /^[1-9][0-9]*$/.test(name))
    .map(Number)
    .filter((pid) => pid !== process.pid);
  const found: TreeProcess[] = [];
  for (const pid of pids) {
    const entry = inspect(pid, pgid, needle, startedAt);
    if (entry !== undefined) found.push(entry);
  }
  return found;
}

/** The pids of the live processes carrying `token` in their environment. */
export async function pidsWithToken(token: string): Promise<number[]> {
  return (await findTree({ token })).map((p) => p.pid);
}

/**
 * The pids of the live processes whose environment holds `<variable>=<value>` as one
 * entry (e.g. `MIRROR_AGENT_TOKEN` and an executor's agent token); never this process.
 */
export async function pidsWithEnv(variable: string, value: string): Promise<number[]> {
  return (await scanProc(Buffer.from(`${variable}=${value}`), undefined)).map((p) => p.pid);
}

/** Judges one pid: part of the tree (and alive) or not; undefined when unreadable or gone. */
function inspect(
  pid: number,
  pgid: number | undefined,
  needle: Buffer,
  startedAt: number | undefined,
): TreeProcess | undefined {
  const stat = readProcStat(pid);
  if (stat === undefined || stat.dead) return undefined;
  if (pgid !== undefined && stat.pgid === pgid) return { pid, pgid: stat.pgid };
  if (startedAt !== undefined && stat.startTime < startedAt) return undefined;
  const environ = readProcFile(pid, 'environ');
  if (environ === undefined || !holdsEntry(environ, needle)) return undefined;
  return { pid, pgid: stat.pgid };
}

interface ProcStat {
  readonly pgid: number;
  /** Zombie or being torn down. */
  readonly dead: boolean;
  /** When it started, clock ticks since boot (field 22). */
  readonly startTime: number;
}

/** Reads /proc/<pid>/stat. */
function readProcStat(pid: number): ProcStat | undefined {
  const raw = readProcFile(pid, 'stat');
  return raw === undefined ? undefined : parseProcStat(raw);
}

/** Parses `pid (comm) state ppid pgrp ... starttime ...`; comm may hold spaces and `)`. */
function parseProcStat(raw: Buffer): ProcStat | undefined {
  const text = raw.toString('latin1');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const pgid = Number(fields[2]);
  const startTime = Number(fields[19]);
  if (state === undefined || !Number.isInteger(pgid) || !Number.isSafeInteger(startTime)) return undefined;
  return { pgid, dead: state === 'Z' || state === 'X' || state === 'x', startTime };
}

/** A /proc/<pid>/<name> file, or undefined when the process is gone or the file not ours to read. */
function readProcFile(pid: number, name: string): Buffer | undefined {
  try {
    return readFileSync(`/proc/${pid}/${name}`);
  } catch {
    // ENOENT/ESRCH: it exited mid-scan; EACCES/EPERM: another user's process (which we
    // could not signal either). Either way it is not a process we can act on.
    return undefined;
  }
}

/** True when the NUL-separated `environ` holds exactly `entry` as one of its strings. */
function holdsEntry(environ: Buffer, entry: Buffer): boolean {
  for (let at = environ.indexOf(entry); at >= 0; at = environ.indexOf(entry, at + 1)) {
    const end = at + entry.length;
    if ((at === 0 || environ[at - 1] === 0) && (end === environ.length || environ[end] === 0)) return true;
  }
  return false;
}
