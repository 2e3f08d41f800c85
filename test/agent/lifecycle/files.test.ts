import { lstat, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeZip } from '../../../src/archive/index.js';
import {
  dispatchOne,
  fixturePackage,
  openEmbedded,
  scratchDir,
  stateOf,
  until,
} from '../../support/embedded.js';

describe('files of a job', () => {
  it('filebuild re-reads edited parameters, unzips archives; recovery zips a directory item', async () => {
    const mirror = await openEmbedded({ autorun: 'false' });
    const pkg = await fixturePackage(
      `<ExeArgument id="list" type="shell" value="ls GRID > listing.txt; echo {cells} > cells.txt" priority="1"/>
       <File name="{model}" target="GRID" create="1" unzip="1"/>
       <Result key="grid" file="GRID"/>
       <Output key="cells" file="cells.txt" pattern="^(\\d+)"/>`,
    );
    const scratch = await scratchDir('mirror-files-');
    const zip = join(scratch, 'wing.zip');
    await writeZip(
      [
        { path: 'wing/a.dat', data: new TextEncoder().encode('a') },
        { path: 'wing/b.dat', data: new TextEncoder().encode('b') },
      ],
      zip,
    );
    const job = await dispatchOne(mirror, pkg, { model: 'wing.zip', cells: '8' }, [
      { name: 'wing.zip', path: zip },
    ]);
    expect(await mirror.call('jobdirbuild_1', 'do', { job_id: job })).toEqual([0, []]);
    expect(await mirror.call('jobfilebuild_1', 'do', { job_id: job })).toEqual([0, []]);
    const runDir = (await mirror.hub.store.getJob(job))?.path ?? '';
    expect(await readFile(join(runDir, 'GRID', 'wing', 'b.dat'), 'utf8')).toBe('b');
    await expect(stat(join(runDir, 'GRID', 'wing.zip'))).rejects.toThrow();

    // The original's way: change the parameter in the database, then filebuild again.
    await mirror.hub.store.updateJobParams(job, { model: 'wing.zip', cells: '16' }, 'test: cells edited');
    expect(await mirror.call('jobfilebuild_1', 'do', { job_id: job })).toEqual([0, []]);
    expect(JSON.parse(await readFile(join(runDir, 'params.json'), 'utf8'))).toEqual({
      model: 'wing.zip',
      cells: '16',
    });
    expect(await mirror.call('jobrun_1', 'do', { job_id: job })).toEqual([0, []]);
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'finished',
    );
    expect(await mirror.call('jobresultrecovery_1', 'do', { job_id: job })).toEqual([0, []]);
    const items = await mirror.hub.store.listJobItems(job);
    expect(items.find((i) => i.key === 'cells')).toMatchObject({
      section: 'result',
      kind: 'value',
      value: '16',
    });
    const grid = items.find((i) => i.key === 'grid');
    expect(grid).toMatchObject({ section: 'result', kind: 'file', value: 'GRID' });
    const stored = await readFile(mirror.hub.fileStore.pathOf(grid?.sha256 ?? ''));
    expect(stored.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  });

  it('refuses to write a copy through a planted link, writing nothing at all', async () => {
    const mirror = await openEmbedded({ autorun: 'false' });
    const outside = await scratchDir('mirror-outside-');
    const pkg = await fixturePackage(
      `<ExeArgument id="s" type="shell" value="true" priority="1"/>
       <File name="in.txt" target="DATA/in.txt" create="1"/>`,
    );
    const job = await dispatchOne(mirror, pkg, {}, [
      { name: 'in.txt', data: new TextEncoder().encode('data') },
    ]);
    expect(await mirror.call('jobdirbuild_1', 'do', { job_id: job })).toEqual([0, []]);
    const runDir = (await mirror.hub.store.getJob(job))?.path ?? '';
    await symlink(outside, join(runDir, 'DATA'));
    expect(await mirror.call('jobfilebuild_1', 'do', { job_id: job })).toEqual([
      -1,
      'File target "DATA/in.txt": DATA is a symbolic link; refusing to write through it',
    ]);
    await expect(stat(join(outside, 'in.txt'))).rejects.toThrow();
    // Every target is checked before the first write: nothing of this filebuild was written.
    await expect(stat(join(runDir, 'params.json'))).rejects.toThrow();
    expect(await stateOf(mirror, job)).toBe('built');
  });

  it('truncates a step log without writing through a link planted in its place', async () => {
    const mirror = await openEmbedded({ autorun: 'false' });
    const outside = join(await scratchDir('mirror-outside-'), 'precious.txt');
    await writeFile(outside, 'keep me\n');
    const job = await dispatchOne(
      mirror,
      await fixturePackage(`<ExeArgument id="s" type="shell" value="echo ran" priority="1"/>`),
    );
    expect(await mirror.call('jobdirbuild_1', 'do', { job_id: job })).toEqual([0, []]);
    expect(await mirror.call('jobfilebuild_1', 'do', { job_id: job })).toEqual([0, []]);
    const runDir = (await mirror.hub.store.getJob(job))?.path ?? '';
    await symlink(outside, join(runDir, '.mirror', 'logs', 's.log'));
    expect(await mirror.call('jobrun_1', 'do', { job_id: job })).toEqual([0, []]);
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'finished',
    );
    expect(await readFile(outside, 'utf8')).toBe('keep me\n');
    expect((await lstat(join(runDir, '.mirror', 'logs', 's.log'))).isFile()).toBe(true);
    expect(await readFile(join(runDir, '.mirror', 'logs', 's.log'), 'utf8')).toBe('ran\n');
  });
});
