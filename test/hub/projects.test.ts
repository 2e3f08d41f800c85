import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { Hub } from '../../src/hub/index.js';
import { openTestHub, PLATE } from '../support/hub.js';
import { rejectionOf } from '../support/error-of.js';
import { scratchDir } from '../support/scratch.js';
import { describeEachStore, storeBackends } from '../support/stores.js';

const backends = await storeBackends();
const sha = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
const bytes = (text: string) => new TextEncoder().encode(text);

describeEachStore(backends, (backend) => {
  let hub: Hub;
  let scratch: string;
  beforeAll(async () => {
    hub = await openTestHub(backend);
    scratch = await scratchDir('mirror-project-');
  });

  it('creates a project from a directory, every file stored by its sha256', async () => {
    const { project, files } = await hub.projects.createFromDirectory('plate', PLATE);
    expect(project.name).toBe('plate');
    expect(files.map((f) => f.name)).toEqual([
      'aluminium.mat',
      'copper.mat',
      'para-demo.xml',
      'para-zip.xml',
      'para.xml',
      'steel.mat',
    ]);
    for (const file of files) {
      const onDisk = await readFile(join(PLATE, file.name));
      expect(file).toMatchObject({ sha256: sha(onDisk), size: onDisk.length, projectId: project.id });
      expect(await hub.projects.readFile(project.id, file.name)).toEqual(onDisk);
    }
    expect((await hub.projects.list()).some((p) => p.id === project.id)).toBe(true);
  });

  it('creates a project from individual files, in sub-folders too', async () => {
    const path = join(scratch, 'mesh.dat');
    await writeFile(path, 'nodes 4\n');
    const { project, files } = await hub.projects.create('wing', [
      { name: 'para.xml', data: bytes('<Para/>') },
      { name: 'grids/mesh.dat', path },
    ]);
    expect(files.map((f) => [f.name, f.size])).toEqual([
      ['grids/mesh.dat', 8],
      ['para.xml', 7],
    ]);
    expect((await hub.projects.get(project.id)).files).toHaveLength(2);
  });

  it('adds, replaces and deletes one file', async () => {
    const { project } = await hub.projects.create('edit', [{ name: 'a.txt', data: bytes('one') }]);
    await hub.projects.putFile(project.id, { name: 'b.txt', data: bytes('two') });
    const replaced = await hub.projects.putFile(project.id, { name: 'a.txt', data: bytes('three') });
    expect(replaced.sha256).toBe(sha('three'));
    expect((await hub.projects.readFile(project.id, 'a.txt')).toString()).toBe('three');
    await hub.projects.deleteFile(project.id, 'b.txt');
    expect((await hub.projects.get(project.id)).files.map((f) => f.name)).toEqual(['a.txt']);
    expect(await rejectionOf(hub.projects.deleteFile(project.id, 'b.txt'))).toBe(
      `project file b.txt is not in project ${project.id}`,
    );
    expect(await rejectionOf(hub.projects.readFile(project.id, 'nope'))).toBe(
      `project file nope is not in project ${project.id}`,
    );
  });

  it('deletes a project with its files', async () => {
    const { project } = await hub.projects.create('gone', [{ name: 'x', data: bytes('x') }]);
    await hub.projects.delete(project.id);
    expect(await rejectionOf(hub.projects.get(project.id))).toBe(
      `project is not existed , project : ${project.id}`,
    );
    expect(await rejectionOf(hub.projects.delete(project.id))).toBe(
      `project is not existed , project : ${project.id}`,
    );
    expect(await hub.store.getProjectFile(project.id, 'x')).toBeUndefined();
  });

  it('refuses bad names and bad sources, and makes no project', async () => {
    const before = await hub.projects.list();
    expect(await rejectionOf(hub.projects.create('p', [{ name: '../x', data: bytes('') }]))).toBe(
      'project file "../x": path leaves its directory',
    );
    expect(await rejectionOf(hub.projects.create('p', [{ name: '/etc/passwd', data: bytes('') }]))).toBe(
      'project file "/etc/passwd": path is absolute',
    );
    expect(await rejectionOf(hub.projects.create('p', [{ name: 'a\u0000b', data: bytes('') }]))).toBe(
      'project file "a\\u0000b": path contains a control character',
    );
    expect(
      await rejectionOf(
        hub.projects.create('p', [
          { name: 'a', data: bytes('1') },
          { name: 'a', data: bytes('2') },
        ]),
      ),
    ).toBe('project file a is given twice');
    expect(await rejectionOf(hub.projects.create('  ', []))).toBe('project name "  ": only spaces');
    expect(await rejectionOf(hub.projects.create('a\nb', []))).toBe(
      'project name "a\\nb": contains a control character',
    );
    expect(await rejectionOf(hub.projects.create('plate\u202Etxt', []))).toBe(
      'project name "plate\\u202etxt": contains a bidirectional control character U+202E',
    );
    expect(await rejectionOf(hub.projects.create('p'.repeat(900_000), []))).toBe(
      `project name "${'p'.repeat(200)}…": longer than 200 characters`,
    );
    const linked = join(scratch, 'linked');
    await writeFile(join(scratch, 'secret'), 'secret');
    await rm(linked, { recursive: true, force: true });
    await mkdir(linked, { recursive: true });
    await symlink(join(scratch, 'secret'), join(linked, 'leak'));
    expect(await rejectionOf(hub.projects.createFromDirectory('p', linked))).toMatch(/leak.*link/);
    expect(await hub.projects.list()).toEqual(before);
    expect(await rejectionOf(hub.projects.putFile(9999, { name: 'a', data: bytes('') }))).toBe(
      'project is not existed , project : 9999',
    );
  });

  it('leaves no temporary file behind', async () => {
    const tmp = join(hub.config.workdir, 'files', 'tmp');
    expect(await readdir(tmp).catch(() => [])).toEqual([]);
  });
});
