import { readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** Where a resource machine keeps run directories: `<workdir>/jobs/`. */
export function jobsRoot(workdir: string): string {
  return join(workdir, 'jobs');
}

/**
 * The directory a dirbuild makes: `<workdir>/jobs/<id>`, or with force=1 when that is
 * taken, the first free sibling `<id>.2`, `<id>.3`, …
 */
export async function nextRunDir(workdir: string, jobId: number): Promise<string> {
  const root = jobsRoot(workdir);
  const first = join(root, String(jobId));
  if (!(await exists(first))) return first;
  for (let n = 2; ; n++) {
    const sibling = join(root, `${jobId}.${n}`);
    if (!(await exists(sibling))) return sibling;
  }
}

/** Every run directory a job has had on this machine: `<id>` and its `<id>.<n>` siblings. */
export async function allRunDirs(workdir: string, jobId: number): Promise<string[]> {
  const root = jobsRoot(workdir);
  const names = await readdir(root).catch(() => [] as string[]);
  const mine = new RegExp(`^${jobId}(\\.\\d+)?$`);
  return names.filter((n) => mine.test(n)).map((n) => join(root, n));
}

/**
 * True when `path` is one of the run directories a dirbuild of job `jobId` makes under
 * `root` (`<root>/<id>` or a `<root>/<id>.<n>` sibling), written exactly so. Whatever a
 * job's row says, nothing outside these is read, written or deleted as its run directory.
 */
export function isRunDirOf(root: string, jobId: number, path: string): boolean {
  if (!path.startsWith(root + sep)) return false;
  const name = path.slice(root.length + 1);
  return name === String(jobId) || new RegExp(`^${jobId}\\.[1-9]\\d{0,8}$`).test(name);
}

/** The job's run directory when it is one of its own under `root`; else undefined. */
export function ownRunDir(root: string, job: { id: number; path: string | null }): string | undefined {
  return job.path !== null && isRunDirOf(root, job.id, job.path) ? job.path : undefined;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
