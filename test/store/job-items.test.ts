import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewJobItem, Store } from '../../src/store/index.js';
import { rejectionOf } from '../support/error-of.js';
import { describeEachStore, storeBackends } from '../support/stores.js';
import { A, B } from './blobs.js';

const backends = await storeBackends();

const mesh: NewJobItem = {
  section: 'result',
  key: 'mesh',
  kind: 'file',
  value: 'GRID/mesh.dat',
  sha256: A,
  size: 10,
};
const cd: NewJobItem = {
  section: 'result',
  key: 'cd',
  kind: 'value',
  value: '0.0231',
  sha256: null,
  size: null,
};
const info: NewJobItem = {
  section: 'process',
  key: 'info',
  kind: 'file',
  value: 'FLOW/solver.log',
  sha256: B,
  size: 3_000_000_000,
};

describeEachStore(backends, (backend) => {
  let store: Store;
  let clock: number;
  let job: number;
  beforeEach(async () => {
    clock = 1_700_000_000_000;
    store = await backend.open({ now: () => clock });
    await store.recordStoredFile({ sha256: A, size: 10 });
    await store.recordStoredFile({ sha256: B, size: 3_000_000_000 });
    const { jobIds } = await store.insertDispatch({
      projectId: 1,
      packageId: 1,
      paraName: 'para.xml',
      jobs: [{ stateIndex: 0, label: '', params: {} }],
    });
    job = jobIds[0] ?? 0;
  });
  afterEach(() => store.close());

  describe('putJobItems and listJobItems', () => {
    it('stores items and lists them by section, then key', async () => {
      await store.putJobItems(job, [mesh, info, cd]);
      expect(await store.listJobItems(job)).toEqual([
        { jobId: job, ...info, updatedAt: clock },
        { jobId: job, ...cd, updatedAt: clock },
        { jobId: job, ...mesh, updatedAt: clock },
      ]);
      expect(await store.listJobItems(job + 1)).toEqual([]);
    });

    it('replaces an item of the same section and key; the last of a repeated one wins', async () => {
      await store.putJobItems(job, [mesh, cd]);
      clock += 1000;
      const newCd = { ...cd, value: '0.0240' };
      const meshAsValue = { ...mesh, kind: 'value' as const, value: 'not stored', sha256: null, size: null };
      const processCd = { ...cd, section: 'process' as const, value: '1' };
      await store.putJobItems(job, [newCd, meshAsValue, processCd, { ...newCd, value: '0.0250' }]);
      expect(await store.listJobItems(job)).toEqual([
        { jobId: job, ...processCd, updatedAt: clock },
        { jobId: job, ...cd, value: '0.0250', updatedAt: clock },
        { jobId: job, ...meshAsValue, updatedAt: clock },
      ]);
    });

    it('writes many items in batches', async () => {
      const many = Array.from({ length: 10_000 }, (_, i) => ({
        ...cd,
        key: `k${String(i).padStart(5, '0')}`,
      }));
      await store.putJobItems(job, many);
      await store.putJobItems(
        job,
        many.slice(0, 5000).map((item) => ({ ...item, value: 'again' })),
      );
      const items = await store.listJobItems(job);
      expect(items).toHaveLength(10_000);
      expect(items[4999]).toMatchObject({ key: 'k04999', value: 'again' });
      expect(items[5000]).toMatchObject({ key: 'k05000', value: cd.value });
    });

    it('refuses an unknown job or blob, writing nothing', async () => {
      expect(await rejectionOf(store.putJobItems(99, [cd]))).toBe('job is not existed , job : 99');
      const missing = 'f'.repeat(64);
      expect(await rejectionOf(store.putJobItems(job, [cd, { ...mesh, sha256: missing }]))).toBe(
        `stored file is not existed , sha256 : ${missing}`,
      );
      expect(await store.listJobItems(job)).toEqual([]);
    });
  });

  describe('deleteJobItems', () => {
    it('deletes one section or all, answering the distinct blobs they referred to', async () => {
      await store.putJobItems(job, [mesh, cd, info, { ...mesh, key: 'mesh2' }]);
      expect(await store.deleteJobItems(job, 'result')).toEqual([A]);
      expect((await store.listJobItems(job)).map((i) => i.key)).toEqual(['info']);
      expect(await store.deleteJobItems(job, 'result')).toEqual([]);
      await store.putJobItems(job, [mesh, cd]);
      expect(await store.deleteJobItems(job)).toEqual([A, B]);
      expect(await store.listJobItems(job)).toEqual([]);
      expect(await store.deleteJobItems(99)).toEqual([]);
    });

    it('keeps a blob in the store while a job item refers to it', async () => {
      await store.putJobItems(job, [mesh]);
      expect(await store.forgetStoredFileIfUnused(A)).toBe(false);
      expect(await store.getStoredFile(A)).toBeDefined();
      expect(await store.deleteJobItems(job)).toEqual([A]);
      expect(await store.forgetStoredFileIfUnused(A)).toBe(true);
      expect(await store.getStoredFile(A)).toBeUndefined();
    });
  });
});
