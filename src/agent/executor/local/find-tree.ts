import { readdir, readFile } from 'node:fs/promises';

/** The environment variable that tags every process of a step's tree. */
export const STEP_TOKEN_VAR = 'MIRROR_STEP_TOKEN';

/** What identifies a step's tree: its token and, when known, its process group id. */
export interface TreeKey {
  readonly token: string;
  readonly pgid?: number;
}

/** A live process of a step's tree. */
export interface TreeProcess {
  readonly pid: number;
  /** Its process group id, as /proc shows it now. */
  readonly pgid: number;
}

/** How many /proc entries are read at once. */
const SCAN_BATCH = 64;

/**
 * Lists the live processes of a step's tree: every process whose environment holds
 * `MIRROR_STEP_TOKEN=<token>` (so one that called `setsid` or double-forked is still
 * found) plus every member of process group `pgid`. Dead processes (zombies) are not
 * listed: they run nothing and only wait for their parent to reap them. Processes that
 * vanish mid-scan or whose files may not be read are skipped; this process is never
 * listed. Rejects only when /proc itself cannot be listed.
 */
export async function findTree(key: TreeKey): Promise<TreeProcess[]> {
  return scanProc(Buffer.from(`${STEP_TOKEN_VAR}=${key.token}`), key.pgid);
}

/** Lists the live processes holding `needle` as a whole environment entry, or in group `pgid`. */
async function scanProc(needle: Buffer, pgid: number | undefined): Promise<TreeProcess[]> {
  const pids = (await readdir('/proc'))
    .filter((name) => /^[1-9][0-9]*$/.test(name))
    .map(Number)
    .filter((pid) => pid !== process.pid);
  const found: TreeProcess[] = [];
  for (let i = 0; i < pids.length; i += SCAN_BATCH) {
    const batch = pids.slice(i, i + SCAN_BATCH);
    const judged = await Promise.all(batch.map((pid) => inspect(pid, pgid, needle)));
    for (const entry of judged) if (entry !== undefined) found.push(entry);
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
async function inspect(
  pid: number,
  pgid: number | undefined,
  needle: Buffer,
): Promise<TreeProcess | undefined> {
  const stat = await readProcStat(pid);
  if (stat === undefined || stat.dead) return undefined;
  if (pgid !== undefined && stat.pgid === pgid) return { pid, pgid: stat.pgid };
  const environ = await readProcFile(pid, 'environ');
  if (environ === undefined || !holdsEntry(environ, needle)) return undefined;
  return { pid, pgid: stat.pgid };
}

interface ProcStat {
  readonly pgid: number;
  /** Zombie or being torn down. */
  readonly dead: boolean;
}

/** Reads /proc/<pid>/stat: `pid (comm) state ppid pgrp ...`; comm may hold spaces and `)`. */
async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  const raw = await readProcFile(pid, 'stat');
  if (raw === undefined) return undefined;
  const text = raw.toString('latin1');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const pgid = Number(fields[2]);
  if (state === undefined || !Number.isInteger(pgid)) return undefined;
  return { pgid, dead: state === 'Z' || state === 'X' || state === 'x' };
}

/** A /proc/<pid>/<name> file, or undefined when the process is gone or the file not ours to read. */
async function readProcFile(pid: number, name: string): Promise<Buffer | undefined> {
  try {
    return await readFile(`/proc/${pid}/${name}`);
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
