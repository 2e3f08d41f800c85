import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMirrorError } from '../../src/core/index.js';
import { openStore, type JobTransition, type Store } from '../../src/store/index.js';
import { rejectionOf } from '../support/error-of.js';
import { describeEachStore, storeBackends } from '../support/stores.js';

const backends = await storeBackends();

const SHA = 'a'.repeat(64);
const CLAIM: JobTransition = { from: ['queued'], to: 'assigned', reason: 'claimed by rid 5', rid: 5 };

/** Inserts one dispatch of `n` jobs (params mach=i) and answers their ids. */
async function dispatch(store: Store, n: number): Promise<number[]> {
  const { jobIds } = await store.insertDispatch({
    projectId: 1,
    packageId: 2,
    paraName: 'para.xml',
    jobs: Array.from({ length: n }, (_, i) => ({
      stateIndex: i,
      label: `mach=${i}`,
      params: { mach: String(i) },
    })),
  });
  return [...jobIds];
}

describeEachStore(backends, (backend) => {
  let store: Store;
  let clock: number;
  let job: number;
  beforeEach(async () => {
    clock = 1_700_000_000_000;
    store = await backend.open({ now: () => clock });
    [job = 0] = await dispatch(store, 1);
  });
  afterEach(() => store.close());

  /** The job's events without their ids. */
  const events = async (id: number) =>
    (await store.listJobEvents(id)).map(({ from, to, reason, at }) => ({ from, to, reason, at }));

  /** Another store on `url`, with the same clock. */
  const backendStore = (url: string) => openStore(url, { now: () => clock });

  describe('transitionJob', () => {
    it('moves a job, setting rid, and records the event', async () => {
      const dispatchedAt = clock;
      clock += 1000;
      const moved = await store.transitionJob(job, CLAIM);
      expect(moved).toMatchObject({ id: job, state: 'assigned', rid: 5, path: null, updatedAt: clock });
      expect(moved?.createdAt).toBe(dispatchedAt);
      expect(await store.getJob(job)).toEqual(moved);
      expect(await events(job)).toEqual([
        { from: null, to: 'queued', reason: 'dispatched', at: dispatchedAt },
        { from: 'queued', to: 'assigned', reason: 'claimed by rid 5', at: clock },
      ]);
    });

    it('refuses a job in none of the from states, changing nothing', async () => {
      const before = await store.getJob(job);
      const eventsBefore = await store.listJobEvents(job);
      clock += 1000;
      const refused = await store.transitionJob(job, {
        from: ['ready', 'assigned'],
        to: 'built',
        reason: 'run',
        path: '/x',
        rid: 9,
      });
      expect(refused).toBeUndefined();
      expect(await store.getJob(job)).toEqual(before);
      expect(await store.listJobEvents(job)).toEqual(eventsBefore);
    });

    it('refuses a change the transition table does not have, whoever asks, changing nothing', async () => {
      const before = await store.getJob(job);
      const eventsBefore = await store.listJobEvents(job);
      for (const [from, to] of [
        ['queued', 'running'],
        ['queued', 'finished'],
        ['assigned', 'running'],
        ['finished', 'lost'],
      ] as const) {
        await expect(
          store.transitionJob(job, { from: [from], to, reason: 'forged', path: '/' }),
        ).rejects.toThrow(`job ${job}: the transition table has no change from ${from} to ${to}`);
      }
      // One illegal source among legal ones is refused too.
      await expect(
        store.transitionJob(job, { from: ['queued', 'built'], to: 'assigned', reason: 'forged' }),
      ).rejects.toThrow(`job ${job}: the transition table has no change from built to assigned`);
      expect(await store.getJob(job)).toEqual(before);
      expect(await store.listJobEvents(job)).toEqual(eventsBefore);
    });

    it('answers undefined for an unknown job or an empty from list', async () => {
      expect(await store.transitionJob(99, CLAIM)).toBeUndefined();
      expect(await store.transitionJob(job, { from: [], to: 'assigned', reason: 'none' })).toBeUndefined();
      expect(await store.getJob(job)).toMatchObject({ state: 'queued', rid: null });
    });

    it('records the state the job was actually in, of several allowed', async () => {
      await store.transitionJob(job, CLAIM);
      const built = {
        from: ['assigned', 'built', 'ready'] as const,
        to: 'built' as const,
        reason: 'dirbuild',
      };
      await store.transitionJob(job, { ...built, path: '/work/jobs/1' });
      await store.transitionJob(job, { ...built, path: '/work/jobs/1-2', reason: 'dirbuild force=1' });
      expect((await events(job)).slice(2)).toEqual([
        { from: 'assigned', to: 'built', reason: 'dirbuild', at: clock },
        { from: 'built', to: 'built', reason: 'dirbuild force=1', at: clock },
      ]);
    });

    it('sets and clears path and rid, leaving them alone when not given', async () => {
      await store.transitionJob(job, CLAIM);
      expect(
        await store.transitionJob(job, { from: ['assigned'], to: 'built', reason: 'b', path: '/r' }),
      ).toMatchObject({ state: 'built', rid: 5, path: '/r' });
      expect(await store.transitionJob(job, { from: ['built'], to: 'ready', reason: 'f' })).toMatchObject({
        state: 'ready',
        rid: 5,
        path: '/r',
      });
      expect(
        await store.transitionJob(job, {
          from: ['ready'],
          to: 'queued',
          reason: 'requeued',
          rid: null,
          path: null,
        }),
      ).toMatchObject({ state: 'queued', rid: null, path: null });
      expect(await store.getJob(job)).toMatchObject({ state: 'queued', rid: null, path: null });
    });

    it("uses the caller's transaction, and rolls back with it", async () => {
      const boom = new Error('boom');
      await expect(
        store.transaction(async (tx) => {
          expect(await tx.transitionJob(job, CLAIM)).toMatchObject({ state: 'assigned' });
          expect(await tx.getJob(job)).toMatchObject({ state: 'assigned', rid: 5 });
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await store.getJob(job)).toMatchObject({ state: 'queued', rid: null });
      expect(await store.listJobEvents(job)).toHaveLength(1);

      await store.transaction((tx) => tx.transitionJob(job, CLAIM));
      expect(await store.getJob(job)).toMatchObject({ state: 'assigned', rid: 5 });
      expect(await store.listJobEvents(job)).toHaveLength(2);
    });

    // Two stores (two pools) on one database where the engine is shared across hosts;
    // otherwise the one store an SQLite database has, called concurrently.
    it('lets exactly one of two concurrent claims win, every time', async () => {
      const url = await backend.freshUrl();
      const first = await backendStore(url);
      const second = store.capabilities.sharedAcrossHosts ? await backendStore(url) : first;
      try {
        const ids = await dispatch(first, 20);
        for (const id of ids) {
          const results = await Promise.all([
            first.transitionJob(id, { ...CLAIM, rid: 1, reason: 'claimed by rid 1' }),
            second.transitionJob(id, { ...CLAIM, rid: 2, reason: 'claimed by rid 2' }),
          ]);
          const winners = results.filter((r) => r !== undefined);
          expect(winners).toHaveLength(1);
          const winner = winners[0];
          expect(await first.getJob(id)).toEqual(winner);
          const log = await first.listJobEvents(id);
          expect(log.map((e) => [e.from, e.to, e.reason])).toEqual([
            [null, 'queued', 'dispatched'],
            ['queued', 'assigned', `claimed by rid ${winner?.rid}`],
          ]);
        }
        // And all at once: every job claimed once, one event each.
        const more = await dispatch(first, 20);
        const all = await Promise.all(
          more.flatMap((id) => [first.transitionJob(id, CLAIM), second.transitionJob(id, CLAIM)]),
        );
        expect(all.filter((r) => r !== undefined)).toHaveLength(20);
        for (const id of more) expect(await first.listJobEvents(id)).toHaveLength(2);
      } finally {
        await first.close();
        await second.close();
      }
    });
  });

  describe('listJobsOnRid and listQueuedJobIds', () => {
    it('list a resource machine’s jobs in given states, and queued ids, oldest first', async () => {
      const ids = [job, ...(await dispatch(store, 5))];
      const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = ids;
      for (const [id, rid] of [
        [e, 5],
        [b, 5],
        [c, 6],
        [d, 5],
      ] as const) {
        await store.transitionJob(id, { ...CLAIM, rid });
      }
      await store.transitionJob(d, { from: ['assigned'], to: 'built', reason: 'dirbuild', path: '/d' });

      const on = async (rid: number, states: Parameters<Store['listJobsOnRid']>[1]) =>
        (await store.listJobsOnRid(rid, states)).map((j) => j.id);
      expect(await on(5, ['assigned'])).toEqual([b, e]);
      expect(await on(5, ['assigned', 'built'])).toEqual([b, d, e]);
      expect(await on(6, ['assigned', 'built'])).toEqual([c]);
      expect(await on(5, ['running'])).toEqual([]);
      expect(await on(5, [])).toEqual([]);
      expect((await store.listJobsOnRid(5, ['built']))[0]).toMatchObject({ id: d, path: '/d', rid: 5 });

      expect(await store.listQueuedJobIds(10)).toEqual([a, f]);
      expect(await store.listQueuedJobIds(1)).toEqual([a]);
    });

    it('lists the jobs queued before a time, by their last change', async () => {
      const [a = 0, b = 0] = [job, ...(await dispatch(store, 1))];
      const dispatched = clock;
      clock += 1000;
      await store.transitionJob(a, { ...CLAIM, rid: 5 });
      clock += 1000;
      await store.transitionJob(a, { from: ['assigned'], to: 'queued', reason: 'requeued', rid: null });
      expect(await store.listQueuedJobIds(10, dispatched)).toEqual([]);
      expect(await store.listQueuedJobIds(10, dispatched + 1)).toEqual([b]);
      expect(await store.listQueuedJobIds(10, clock + 1)).toEqual([a, b]);
    });
  });

  describe('updateJobParams', () => {
    it('replaces the parameters and records an event in the current state', async () => {
      await store.transitionJob(job, CLAIM);
      clock += 500;
      await store.updateJobParams(job, { mach: '0.9', alpha: '2' }, 'params edited: mach, alpha');
      expect(await store.getJob(job)).toMatchObject({
        params: { mach: '0.9', alpha: '2' },
        state: 'assigned',
        updatedAt: clock,
      });
      expect((await events(job)).at(-1)).toEqual({
        from: 'assigned',
        to: 'assigned',
        reason: 'params edited: mach, alpha',
        at: clock,
      });
    });

    it('refuses an unknown job with the original message, writing nothing', async () => {
      const failure = store.updateJobParams(99, { mach: '1' }, 'edit');
      await expect(failure).rejects.toSatisfy((err: unknown) => isMirrorError(err, 'JOB_NOT_FOUND'));
      expect(await rejectionOf(store.updateJobParams(99, { mach: '1' }, 'edit'))).toBe(
        'job is not existed , job : 99',
      );
      expect(await store.listJobEvents(99)).toEqual([]);
    });
  });

  describe('deleteJob', () => {
    it('deletes the job with its steps, events and items, once', async () => {
      const [other = 0] = await dispatch(store, 1);
      await store.recordStoredFile({ sha256: SHA, size: 3 });
      for (const id of [job, other]) {
        await store.resetJobSteps(id, [{ stepId: 'grid', priority: 1 }]);
        await store.putJobItems(id, [
          { section: 'result', key: 'mesh', kind: 'file', value: 'GRID/mesh.dat', sha256: SHA, size: 3 },
        ]);
      }
      expect(await store.deleteJob(job)).toBe(true);
      expect(await store.getJob(job)).toBeUndefined();
      expect(await store.listJobSteps(job)).toEqual([]);
      expect(await store.listJobEvents(job)).toEqual([]);
      expect(await store.listJobItems(job)).toEqual([]);
      expect(await store.deleteJob(job)).toBe(false);
      // The other job keeps its rows.
      expect(await store.listJobSteps(other)).toHaveLength(1);
      expect(await store.listJobEvents(other)).toHaveLength(1);
      expect(await store.listJobItems(other)).toHaveLength(1);
    });
  });

  describe('step records', () => {
    const pending = { status: 'pending', startedAt: null, endedAt: null, exitCode: null, signal: null };
    const blank = { ...pending, reason: null, logPath: null, batchId: null, batchState: null };

    it('reset to pending, then patched field by field', async () => {
      await store.resetJobSteps(job, [
        { stepId: 'post', priority: 3 },
        { stepId: 'grid', priority: 1 },
        { stepId: 'flow', priority: 2 },
      ]);
      expect(await store.listJobSteps(job)).toEqual([
        { jobId: job, stepId: 'grid', priority: 1, ...blank },
        { jobId: job, stepId: 'flow', priority: 2, ...blank },
        { jobId: job, stepId: 'post', priority: 3, ...blank },
      ]);

      await store.updateJobStep(job, 'grid', {
        status: 'running',
        startedAt: clock,
        logPath: '.mirror/logs/grid.log',
      });
      await store.updateJobStep(job, 'grid', { status: 'succeeded', endedAt: clock + 5, exitCode: 0 });
      await store.updateJobStep(job, 'flow', { status: 'running', startedAt: clock + 6, batchId: '4242' });
      await store.updateJobStep(job, 'flow', { batchState: 'PENDING (Resources)' });
      await store.updateJobStep(job, 'flow', {
        status: 'killed',
        endedAt: clock + 9,
        exitCode: null,
        signal: 'SIGTERM',
        reason: 'killed by jobkill',
      });
      await store.updateJobStep(job, 'post', {});
      const [grid, flow, post] = await store.listJobSteps(job);
      expect(grid).toEqual({
        jobId: job,
        stepId: 'grid',
        priority: 1,
        status: 'succeeded',
        startedAt: clock,
        endedAt: clock + 5,
        exitCode: 0,
        signal: null,
        reason: null,
        logPath: '.mirror/logs/grid.log',
        batchId: null,
        batchState: null,
      });
      expect(flow).toEqual({
        jobId: job,
        stepId: 'flow',
        priority: 2,
        status: 'killed',
        startedAt: clock + 6,
        endedAt: clock + 9,
        exitCode: null,
        signal: 'SIGTERM',
        reason: 'killed by jobkill',
        logPath: null,
        batchId: '4242',
        batchState: 'PENDING (Resources)',
      });
      expect(post).toEqual({ jobId: job, stepId: 'post', priority: 3, ...blank });

      // null clears a field; undefined leaves it.
      await store.updateJobStep(job, 'grid', { exitCode: null, logPath: undefined });
      expect((await store.listJobSteps(job))[0]).toMatchObject({
        exitCode: null,
        logPath: '.mirror/logs/grid.log',
      });

      // A reset replaces every record.
      await store.resetJobSteps(job, [{ stepId: 'solve', priority: 1 }]);
      expect(await store.listJobSteps(job)).toEqual([{ jobId: job, stepId: 'solve', priority: 1, ...blank }]);
      await store.resetJobSteps(job, []);
      expect(await store.listJobSteps(job)).toEqual([]);
    });

    it('refuse an unknown job or step', async () => {
      expect(await rejectionOf(store.resetJobSteps(99, [{ stepId: 'grid', priority: 1 }]))).toBe(
        'job is not existed , job : 99',
      );
      expect(await rejectionOf(store.updateJobStep(99, 'grid', { status: 'running' }))).toBe(
        'job is not existed , job : 99',
      );
      expect(await rejectionOf(store.updateJobStep(job, 'grid', { status: 'running' }))).toBe(
        `job ${job} has no step grid (steps: none)`,
      );
      await store.resetJobSteps(job, [
        { stepId: 'flow', priority: 2 },
        { stepId: 'grid', priority: 1 },
      ]);
      expect(await rejectionOf(store.updateJobStep(job, 'post', {}))).toBe(
        `job ${job} has no step post (steps: grid, flow)`,
      );
    });
  });
});
