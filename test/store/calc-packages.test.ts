import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { describeEachStore, storeBackends } from '../support/stores.js';
import { A, B, recordBlobs } from './blobs.js';

const backends = await storeBackends();

describeEachStore(backends, (backend) => {
  let store: Store;
  let clock: number;
  beforeEach(async () => {
    clock = 1_700_000_000_000;
    store = await backend.open({ now: () => clock });
    await recordBlobs(store);
  });
  afterEach(() => store.close());

  describe('calc packages', () => {
    const adapter = { name: 'cavity', version: '1.2.0', steps: [{ id: 'grid', priority: 1 }] };

    it('inserts, reads, lists and deletes packages', async () => {
      const one = await store.insertCalcPackage({
        name: 'cavity',
        version: '1.2.0',
        sha256: A,
        size: 10,
        adapter,
      });
      const two = await store.insertCalcPackage({
        name: 'cavity',
        version: '1.3.0',
        sha256: B,
        size: 20,
        adapter: [],
      });
      expect(one).toEqual({
        id: one.id,
        name: 'cavity',
        version: '1.2.0',
        sha256: A,
        size: 10,
        adapter,
        createdAt: clock,
      });
      expect(await store.getCalcPackage(one.id)).toEqual(one);
      expect(await store.listCalcPackages()).toEqual([one, two]);
      expect(await store.deleteCalcPackage(one.id)).toBe(true);
      expect(await store.deleteCalcPackage(one.id)).toBe(false);
      expect(await store.getCalcPackage(one.id)).toBeUndefined();
      expect(await store.listCalcPackages()).toEqual([two]);
    });

    it('deletes a package that has jobs; the jobs keep its id', async () => {
      const pkg = await store.insertCalcPackage({ name: 'c', version: '1', sha256: A, size: 10, adapter });
      const { jobIds } = await store.insertDispatch({
        projectId: 1,
        packageId: pkg.id,
        paraName: 'para.xml',
        jobs: [{ stateIndex: 0, label: '', params: {} }],
      });
      expect(await store.deleteCalcPackage(pkg.id)).toBe(true);
      expect(await store.getJob(jobIds[0] ?? 0)).toMatchObject({ packageId: pkg.id });
    });

    it('refuses a package whose zip is not recorded', async () => {
      await expect(
        store.insertCalcPackage({ name: 'c', version: '1', sha256: 'e'.repeat(64), size: 1, adapter }),
      ).rejects.toThrow(`stored file is not existed , sha256 : ${'e'.repeat(64)}`);
      expect(await store.listCalcPackages()).toEqual([]);
    });
  });
});
