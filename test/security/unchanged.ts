// Everything a refused request must leave as it was: the store's rows (projects and
// their files, packages, jobs with their state, path and rid, events, steps, items,
// machines), the file store's blobs, the victim directory outside every run directory,
// and the processes working in the hub's workdir (steps and hooks run in run directories).
import { readdir, readFile, readlink } from 'node:fs/promises';
import type { Hub } from '../../src/hub/index.js';
import { filesUnder, hubSnapshot } from '../hostile/unchanged.js';

/** A snapshot of what a hostile request could change. */
export async function everything(hub: Hub, victim: string): Promise<Record<string, unknown>> {
  const { store } = hub;
  const jobs = await store.listJobs({ limit: 10_000 });
  const perJob = await Promise.all(
    jobs.map(async (job) => ({
      id: job.id,
      state: job.state,
      rid: job.rid,
      path: job.path,
      params: job.params,
      events: (await store.listJobEvents(job.id)).length,
      steps: (await store.listJobSteps(job.id)).map((s) => `${s.stepId} ${s.status}`),
      items: (await store.listJobItems(job.id)).map((i) => `${i.section} ${i.key} ${i.value} ${i.sha256}`),
    })),
  );
  const projects = await store.listProjects();
  return {
    ...(await hubSnapshot(hub)),
    projectFiles: (await Promise.all(projects.map((p) => store.listProjectFiles(p.id))))
      .flat()
      .map((f) => `${f.projectId} ${f.name} ${f.sha256}`),
    jobs: perJob,
    machines: (await store.listMachines()).map((m) => `${m.rid} ${m.host} ${m.jobsRoot}`),
    victim: await filesUnder(victim),
    processes: await processesIn(hub.config.workdir),
  };
}

/**
 * Every process working inside `workdir` (steps and hooks run in their job's run
 * directory), as `pid command`, sorted: a refused request must have started none.
 */
async function processesIn(workdir: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
    if (cwd !== workdir && !cwd.startsWith(`${workdir}/`)) continue;
    const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '?')).trim();
    found.push(`${pid} ${comm}`);
  }
  return found.sort();
}
