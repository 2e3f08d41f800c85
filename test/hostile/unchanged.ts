// What a refused hostile input must leave as it was: the store's rows and the file
// store's blobs of a hub, and the files of a directory tree.
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Hub } from '../../src/hub/index.js';

/** Counts of every kind of row, and the blobs on disk, of a hub. */
export async function hubSnapshot(hub: Hub): Promise<Record<string, unknown>> {
  const store = hub.store;
  const projects = await store.listProjects();
  return {
    projects: projects.map((p) => p.id),
    projectFiles: (await Promise.all(projects.map((p) => store.listProjectFiles(p.id)))).flat().length,
    packages: (await store.listCalcPackages()).map((p) => p.id),
    jobs: await store.countJobs(),
    dispatches: (await store.listDispatches()).length,
    blobs: await filesUnder(join(hub.config.workdir, 'files'), (path) => !path.startsWith('tmp/')),
  };
}

/** Every file under `dir` (relative paths, sorted) with its size, optionally filtered. */
export async function filesUnder(
  dir: string,
  keep: (path: string) => boolean = () => true,
): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true }).catch(() => [])) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else {
        const rel = relative(dir, path);
        if (keep(rel)) found.push(`${rel} ${(await stat(path).catch(() => undefined))?.size ?? '?'}`);
      }
    }
  };
  await walk(dir);
  return found.sort();
}
