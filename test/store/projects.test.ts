import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMirrorError } from '../../src/core/index.js';
import type { Store } from '../../src/store/index.js';
import { describeEachStore, storeBackends } from '../support/stores.js';
import { A, B, C, recordBlobs } from './blobs.js';

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

  describe('stored files', () => {
    it('records a blob once and reads it back, sizes above 2^31 included', async () => {
      await store.recordStoredFile({ sha256: A, size: 10 });
      expect(await store.getStoredFile(A)).toEqual({ sha256: A, size: 10, createdAt: clock });
      expect(await store.getStoredFile(B)).toMatchObject({ size: 3_000_000_000 });
      expect(await store.getStoredFile('f'.repeat(64))).toBeUndefined();
    });

    it('forgets a blob only when nothing refers to it', async () => {
      const project = await store.createProject('p', [{ name: 'mesh.dat', sha256: A, size: 10 }]);
      await store.insertCalcPackage({ name: 'cavity', version: '1', sha256: B, size: 1, adapter: {} });
      expect(await store.forgetStoredFileIfUnused(A)).toBe(false);
      expect(await store.forgetStoredFileIfUnused(B)).toBe(false);
      expect(await store.forgetStoredFileIfUnused(C)).toBe(true);
      expect(await store.getStoredFile(C)).toBeUndefined();
      await store.deleteProject(project.id);
      expect(await store.forgetStoredFileIfUnused(A)).toBe(true);
      expect(await store.forgetStoredFileIfUnused(A)).toBe(false);
    });
  });

  describe('projects', () => {
    it('creates a project with its files and reads them back', async () => {
      const project = await store.createProject('wing', [
        { name: 'para.xml', sha256: A, size: 10 },
        { name: 'models/wing.zip', sha256: B, size: 3_000_000_000 },
      ]);
      expect(project).toEqual({ id: project.id, name: 'wing', createdAt: clock, updatedAt: clock });
      expect(await store.getProject(project.id)).toEqual(project);
      expect(await store.listProjectFiles(project.id)).toEqual([
        { projectId: project.id, name: 'models/wing.zip', sha256: B, size: 3_000_000_000, updatedAt: clock },
        { projectId: project.id, name: 'para.xml', sha256: A, size: 10, updatedAt: clock },
      ]);
      expect(await store.getProjectFile(project.id, 'para.xml')).toMatchObject({ sha256: A });
      expect(await store.getProjectFile(project.id, 'nope')).toBeUndefined();
    });

    it('lists projects by id; names need not be unique', async () => {
      const one = await store.createProject('same', []);
      const two = await store.createProject('same', []);
      expect(two.id).toBeGreaterThan(one.id);
      expect((await store.listProjects()).map((p) => p.id)).toEqual([one.id, two.id]);
      expect(await store.getProject(two.id + 1000)).toBeUndefined();
    });

    it('replaces a file of the same name and records the change', async () => {
      const project = await store.createProject('p', [{ name: 'para.xml', sha256: A, size: 10 }]);
      clock += 5;
      await store.putProjectFile(project.id, { name: 'para.xml', sha256: C, size: 0 });
      await store.putProjectFile(project.id, { name: 'extra.txt', sha256: A, size: 10 });
      expect(await store.listProjectFiles(project.id)).toEqual([
        { projectId: project.id, name: 'extra.txt', sha256: A, size: 10, updatedAt: clock },
        { projectId: project.id, name: 'para.xml', sha256: C, size: 0, updatedAt: clock },
      ]);
      expect(await store.getProject(project.id)).toMatchObject({ createdAt: clock - 5, updatedAt: clock });
    });

    it('deletes a file', async () => {
      const project = await store.createProject('p', [
        { name: 'a', sha256: A, size: 10 },
        { name: 'b', sha256: B, size: 1 },
      ]);
      clock += 7;
      expect(await store.deleteProjectFile(project.id, 'a')).toBe(true);
      expect(await store.deleteProjectFile(project.id, 'a')).toBe(false);
      expect((await store.listProjectFiles(project.id)).map((f) => f.name)).toEqual(['b']);
      expect(await store.getProject(project.id)).toMatchObject({ updatedAt: clock });
    });

    it('deletes a project and its files, keeping its jobs', async () => {
      const project = await store.createProject('p', [{ name: 'a', sha256: A, size: 10 }]);
      const other = await store.createProject('q', [{ name: 'a', sha256: A, size: 10 }]);
      const { jobIds } = await store.insertDispatch({
        projectId: project.id,
        packageId: 1,
        paraName: 'para.xml',
        jobs: [{ stateIndex: 0, label: '', params: {} }],
      });
      expect(await store.deleteProject(project.id)).toBe(true);
      expect(await store.deleteProject(project.id)).toBe(false);
      expect(await store.getProject(project.id)).toBeUndefined();
      expect(await store.listProjectFiles(project.id)).toEqual([]);
      expect(await store.listProjectFiles(other.id)).toHaveLength(1);
      expect(await store.getJob(jobIds[0] ?? 0)).toMatchObject({ projectId: project.id });
    });

    it('refuses a file of a project that does not exist, or a blob not recorded', async () => {
      const project = await store.createProject('p', []);
      const missingProject = await store
        .putProjectFile(project.id + 1000, { name: 'a', sha256: A, size: 10 })
        .catch((err: unknown) => err);
      expect(isMirrorError(missingProject, 'PROJECT_NOT_FOUND')).toBe(true);
      expect((missingProject as Error).message).toBe(
        `project is not existed , project : ${project.id + 1000}`,
      );

      const sha256 = 'd'.repeat(64);
      const missingBlob = await store
        .putProjectFile(project.id, { name: 'a', sha256, size: 1 })
        .catch((err: unknown) => err);
      expect(isMirrorError(missingBlob, 'STORED_FILE_NOT_FOUND')).toBe(true);
      expect((missingBlob as Error).message).toBe(`stored file is not existed , sha256 : ${sha256}`);

      // createProject is all or nothing.
      const before = await store.listProjects();
      await expect(
        store.createProject('bad', [
          { name: 'a', sha256: A, size: 10 },
          { name: 'b', sha256, size: 1 },
        ]),
      ).rejects.toThrow(/stored file is not existed/);
      expect(await store.listProjects()).toEqual(before);
    });
  });
});
