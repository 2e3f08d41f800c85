import { rm } from 'node:fs/promises';
import type { HubLink } from '../hub-link/index.js';
import type { FileStore } from '../file-store/index.js';
import type { Store } from '../store/index.js';
import type { EventLog } from './events/index.js';
import type { Machines } from './machines.js';

export interface HubLinkParts {
  readonly store: Store;
  readonly fileStore: FileStore;
  readonly events: Pick<EventLog, 'publish'>;
  readonly machines: Pick<Machines, 'heartbeat'>;
}

/**
 * The hub as an agent in its own process sees it: its store and file store directly.
 * The hub's HTTP routes for remote agents answer through this same link, so a remote
 * agent gets exactly what a local one does.
 */
export function createLocalHubLink(hub: HubLinkParts, options: { seesRunDirs: boolean }): HubLink {
  const { store, fileStore } = hub;
  return {
    seesRunDirs: options.seesRunDirs,
    getJob: (jobId) => store.getJob(jobId),
    transitionJob: (jobId, t) => store.transitionJob(jobId, t),
    listJobsOnRid: (rid, states) => store.listJobsOnRid(rid, states),
    listJobSteps: (jobId) => store.listJobSteps(jobId),
    resetJobSteps: (jobId, steps) => store.resetJobSteps(jobId, steps),
    updateJobStep: (jobId, stepId, patch) => store.updateJobStep(jobId, stepId, patch),

    // The blobs are recorded with the items that refer to them; a blob an item referred
    // to before is forgotten once nothing does (the file store's sweep removes it later).
    async putJobItems(jobId, items) {
      await store.transaction(async (tx) => {
        const keys = new Set(items.map((i) => `${i.section}\0${i.key}`));
        const replaced = (await tx.listJobItems(jobId)).flatMap((old) =>
          old.sha256 !== null && keys.has(`${old.section}\0${old.key}`) ? [old.sha256] : [],
        );
        for (const item of items) {
          if (item.sha256 !== null) await tx.recordStoredFile({ sha256: item.sha256, size: item.size ?? 0 });
        }
        await tx.putJobItems(jobId, items);
        for (const sha of new Set(replaced)) await tx.forgetStoredFileIfUnused(sha);
      });
    },

    // A blob shared with another row stays; one only this job referred to goes now.
    async deleteJobRecords(jobId) {
      const shas = await store.transaction(async (tx) => {
        const removed = await tx.deleteJobItems(jobId);
        await tx.deleteJob(jobId);
        for (const sha of removed) await tx.forgetStoredFileIfUnused(sha);
        return removed;
      });
      for (const sha of new Set(shas)) {
        if (!(await store.getStoredFile(sha))) await rm(fileStore.pathOf(sha), { force: true });
      }
    },

    getCalcPackage: (packageId) => store.getCalcPackage(packageId),
    listProjectFiles: (projectId) => store.listProjectFiles(projectId),
    blobPath: (sha256) => Promise.resolve(fileStore.pathOf(sha256)),
    putFile: (path) => fileStore.putFile(path),

    heartbeat: (report) => hub.machines.heartbeat(report),
    publishLines(event) {
      hub.events.publish(event);
    },
    close: () => Promise.resolve(),
  };
}
