import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobState } from '../../src/job/index.js';
import { connectStore, openStore, type NewJob, type Store } from '../../src/store/index.js';
import { describeEachStore, storeBackends } from '../support/stores.js';

const backends = await storeBackends();

const NOW = 1_700_000_000_000;

/** `n` jobs of a one-parameter sweep: state i has mach=i, label `mach=i`. */
function sweep(n: number): NewJob[] {
  return Array.from({ length: n }, (_, i) => ({
    stateIndex: i,
    label: `mach=${i}`,
    params: { model: 'wing.zip', mach: String(i) },
  }));
}

/** Sets the claim of jobs `ids` by hand (the operations that claim jobs live elsewhere). */
async function claim(url: string, ids: readonly number[], rid: number, state: JobState): Promise<void> {
  const conn = await connectStore(url);
  try {
    await conn.db.updateTable('jobs').set({ rid, state }).where('id', 'in', ids).execute();
  } finally {
    await conn.db.destroy();
  }
}

describeEachStore(backends, (backend) => {
  let store: Store;
  let url: string;
  beforeEach(async () => {
    url = await backend.freshUrl();
    store = await openStore(url, { now: () => NOW });
  });
  afterEach(() => store.close());

  describe('insertDispatch', () => {
    it('inserts a dispatch of 3 jobs, ids ascending, each with its queued event', async () => {
      const jobs = sweep(3);
      const { dispatchId, jobIds } = await store.insertDispatch({
        projectId: 4,
        packageId: 5,
        paraName: 'para.xml',
        jobs,
      });
      expect(jobIds).toHaveLength(3);
      expect([...jobIds].sort((a, b) => a - b)).toEqual(jobIds);
      expect(new Set(jobIds).size).toBe(3);
      expect(await store.getDispatch(dispatchId)).toEqual({
        id: dispatchId,
        projectId: 4,
        packageId: 5,
        paraName: 'para.xml',
        jobCount: 3,
        createdAt: NOW,
      });
      for (const [i, id] of jobIds.entries()) {
        const job = await store.getJob(id);
        expect(job).toEqual({
          id,
          dispatchId,
          projectId: 4,
          packageId: 5,
          paraName: 'para.xml',
          stateIndex: i,
          label: `mach=${i}`,
          params: { model: 'wing.zip', mach: String(i) },
          rid: null,
          state: 'queued',
          path: null,
          createdAt: NOW,
          updatedAt: NOW,
        });
        expect(Object.getPrototypeOf(job?.params)).toBe(Object.prototype);
        const events = await store.listJobEvents(id);
        expect(events).toEqual([
          { id: events[0]?.id, jobId: id, at: NOW, from: null, to: 'queued', reason: 'dispatched' },
        ]);
        expect(await store.listJobSteps(id)).toEqual([]);
      }
    });

    it('inserts a dispatch of 10,000 jobs, in order', async () => {
      const jobs = sweep(10_000);
      const { dispatchId, jobIds } = await store.insertDispatch({
        projectId: 1,
        packageId: 1,
        paraName: 'para.xml',
        jobs,
      });
      expect(jobIds).toHaveLength(10_000);
      expect(jobIds.every((id, i) => i === 0 || id > (jobIds[i - 1] ?? Infinity))).toBe(true);
      expect(await store.countJobs({ dispatchId })).toBe(10_000);
      // Ids ascend with the states: the job of each id has the state index of its position.
      for (const i of [0, 999, 1000, 3275, 3276, 6553, 6554, 9999]) {
        expect(await store.getJob(jobIds[i] ?? 0)).toMatchObject({ stateIndex: i, label: `mach=${i}` });
      }
      const last = jobIds[9_999] ?? 0;
      expect(await store.listJobEvents(last)).toMatchObject([{ to: 'queued', reason: 'dispatched' }]);
    });

    it('inserts a dispatch with no jobs', async () => {
      const result = await store.insertDispatch({ projectId: 1, packageId: 1, paraName: 'p.xml', jobs: [] });
      expect(result.jobIds).toEqual([]);
      expect(await store.getDispatch(result.dispatchId)).toMatchObject({ jobCount: 0 });
    });

    it('dispatching twice makes a second, identical set of jobs', async () => {
      const d = { projectId: 1, packageId: 1, paraName: 'para.xml', jobs: sweep(2) };
      const first = await store.insertDispatch(d);
      const second = await store.insertDispatch(d);
      expect(second.dispatchId).not.toBe(first.dispatchId);
      expect(Math.min(...second.jobIds)).toBeGreaterThan(Math.max(...first.jobIds));
      expect(await store.countJobs()).toBe(4);
    });
  });

  describe('transaction', () => {
    it('commits everything done through tx', async () => {
      const result = await store.transaction(async (tx) => {
        const d = await tx.insertDispatch({ projectId: 1, packageId: 1, paraName: 'p.xml', jobs: sweep(2) });
        expect(await tx.countJobs()).toBe(2);
        return d;
      });
      expect(await store.getDispatch(result.dispatchId)).toBeDefined();
      expect(await store.countJobs()).toBe(2);
    });

    it('rolls back everything when fn throws, and rethrows', async () => {
      let inside: { dispatchId: number; jobIds: readonly number[] } | undefined;
      const boom = new Error('boom');
      await expect(
        store.transaction(async (tx) => {
          inside = await tx.insertDispatch({ projectId: 1, packageId: 1, paraName: 'p.xml', jobs: sweep(3) });
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(inside?.jobIds).toHaveLength(3);
      expect(await store.getDispatch(inside?.dispatchId ?? 0)).toBeUndefined();
      expect(await store.countJobs()).toBe(0);
      for (const id of inside?.jobIds ?? []) {
        expect(await store.getJob(id)).toBeUndefined();
        expect(await store.listJobEvents(id)).toEqual([]);
      }
    });
  });

  describe('listJobs and countJobs', () => {
    // Two dispatches: project 1 on package 10 (5 jobs), project 2 on package 20 (3 jobs).
    let a: readonly number[];
    let b: readonly number[];
    let dispatchA: number;
    beforeEach(async () => {
      const first = await store.insertDispatch({
        projectId: 1,
        packageId: 10,
        paraName: 'p.xml',
        jobs: sweep(5),
      });
      const second = await store.insertDispatch({
        projectId: 2,
        packageId: 20,
        paraName: 'p.xml',
        jobs: sweep(3),
      });
      a = first.jobIds;
      b = second.jobIds;
      dispatchA = first.dispatchId;
    });

    const ids = (jobs: readonly { id: number }[]) => jobs.map((j) => j.id);
    const desc = (list: readonly number[]) => [...list].sort((x, y) => y - x);

    it('lists every job newest first, 50 to a page by default', async () => {
      expect(ids(await store.listJobs())).toEqual(desc([...a, ...b]));
      expect(await store.countJobs()).toBe(8);
    });

    it('filters by project, package, dispatch and label', async () => {
      expect(ids(await store.listJobs({ projectId: 2 }))).toEqual(desc(b));
      expect(ids(await store.listJobs({ packageId: 10 }))).toEqual(desc(a));
      expect(ids(await store.listJobs({ dispatchId: dispatchA }))).toEqual(desc(a));
      expect(ids(await store.listJobs({ label: 'mach=1' }))).toEqual(desc([a[1] ?? 0, b[1] ?? 0]));
      expect(ids(await store.listJobs({ projectId: 1, label: 'mach=1' }))).toEqual([a[1]]);
      expect(await store.listJobs({ projectId: 3 })).toEqual([]);
      expect(await store.countJobs({ packageId: 20 })).toBe(3);
      expect(await store.countJobs({ projectId: 1, label: 'mach=4' })).toBe(1);
      expect(await store.countJobs({ projectId: 3 })).toBe(0);
    });

    it('filters by state and rid', async () => {
      await claim(url, [a[0] ?? 0, a[2] ?? 0, b[1] ?? 0], 5, 'assigned');
      await claim(url, [a[4] ?? 0], 6, 'running');
      expect(ids(await store.listJobs({ state: 'queued' }))).toEqual(
        desc([a[1], a[3], b[0], b[2]] as number[]),
      );
      expect(ids(await store.listJobs({ state: 'assigned' }))).toEqual(desc([a[0], a[2], b[1]] as number[]));
      expect(ids(await store.listJobs({ rid: 5 }))).toEqual(desc([a[0], a[2], b[1]] as number[]));
      expect(ids(await store.listJobs({ rid: 5, projectId: 2 }))).toEqual([b[1]]);
      expect(ids(await store.listJobs({ rid: 6, state: 'running' }))).toEqual([a[4]]);
      expect(await store.listJobs({ rid: 6, state: 'assigned' })).toEqual([]);
      expect(await store.countJobs({ state: 'queued' })).toBe(4);
      expect(await store.countJobs({ rid: 5 })).toBe(3);
      expect(await store.countJobs({ rid: 7 })).toBe(0);
      expect(await store.getJob(a[4] ?? 0)).toMatchObject({ rid: 6, state: 'running' });
    });

    it('pages by keyset: each page starts below the last id of the previous one', async () => {
      const all = desc([...a, ...b]);
      const seen: number[] = [];
      let beforeId: number | undefined;
      for (;;) {
        const page = await store.listJobs({ limit: 3, ...(beforeId === undefined ? {} : { beforeId }) });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(3);
        seen.push(...ids(page));
        beforeId = page.at(-1)?.id;
      }
      expect(seen).toEqual(all);
      const page = await store.listJobs({ projectId: 1, beforeId: a[3] ?? 0, limit: 2 });
      expect(ids(page)).toEqual([a[2], a[1]]);
    });

    it('pages oldest first with afterId', async () => {
      const seen: number[] = [];
      let afterId: number | undefined;
      for (;;) {
        const page = await store.listJobs({
          order: 'asc',
          limit: 4,
          ...(afterId === undefined ? {} : { afterId }),
        });
        if (page.length === 0) break;
        seen.push(...ids(page));
        afterId = page.at(-1)?.id;
      }
      expect(seen).toEqual(desc([...a, ...b]).reverse());
    });
  });
});
