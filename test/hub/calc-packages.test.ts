import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { walkDirectory, writeZip } from '../../src/archive/index.js';
import type { Hub } from '../../src/hub/index.js';
import { HEAT2D, openTestHub } from '../support/hub.js';
import { rawZip } from '../support/raw-zip.js';
import { rejectionOf } from '../support/error-of.js';
import { scratchDir } from '../support/scratch.js';
import { describeEachStore, storeBackends } from '../support/stores.js';

const backends = await storeBackends();

describeEachStore(backends, (backend) => {
  let hub: Hub;
  let scratch: string;
  beforeAll(async () => {
    hub = await openTestHub(backend);
    scratch = await scratchDir('mirror-package-');
  });

  it('registers a package from a directory: canonical zip in the file store, adapter parsed', async () => {
    const added = await hub.calcPackages.add({ dir: HEAT2D });
    expect(added).toMatchObject({ name: 'heat2d', version: '1.0.0' });
    const zip = await readFile(hub.fileStore.pathOf(added.sha256));
    expect(createHash('sha256').update(zip).digest('hex')).toBe(added.sha256);
    expect(zip.length).toBe(added.size);
    expect(added.info.adapter.steps.map((s) => s.id)).toEqual(['mesh', 'solve', 'post']);
    expect(added.info.templatePlaceholders).toEqual({
      'SOLVE/solver.in.tpl': [
        'scheme',
        'iterations',
        'tolerance',
        'omega',
        'fourier',
        'delay_ms',
        'material',
        'source',
        't_init',
        't_top',
        't_bottom',
        't_left',
        't_right',
      ],
    });
    expect(await hub.calcPackages.get(added.id)).toEqual(added);
    expect((await hub.calcPackages.list()).map((p) => p.id)).toContain(added.id);
  });

  it('gives the same content the same sha256, from a directory or a zip', async () => {
    const fromDir = await hub.calcPackages.add({ dir: HEAT2D });
    const zipPath = join(scratch, 'heat2d.zip');
    const files = await walkDirectory(HEAT2D);
    await writeZip(
      files.map((f) => ({ path: f.path, absPath: f.absPath, executable: f.executable })),
      zipPath,
    );
    const fromZip = await hub.calcPackages.add({ zip: zipPath });
    expect(fromZip.id).not.toBe(fromDir.id);
    expect(fromZip.sha256).toBe(fromDir.sha256);
    expect(fromZip.info).toEqual(fromDir.info);
  });

  it('refuses a zip-slip package, writes nothing outside and registers nothing', async () => {
    const before = await hub.calcPackages.list();
    const zipPath = join(scratch, 'slip.zip');
    const adapter = await readFile(join(HEAT2D, 'adapter.xml'));
    await writeFile(
      zipPath,
      rawZip([
        { name: 'adapter.xml', data: adapter },
        { name: '../../escaped.txt', data: 'pwned' },
      ]),
    );
    expect(await rejectionOf(hub.calcPackages.add({ zip: zipPath }))).toBe(
      'slip.zip entry "../../escaped.txt": path leaves the extraction directory',
    );
    expect(await hub.calcPackages.list()).toEqual(before);
    expect(await readdir(join(hub.config.workdir, 'tmp'))).toEqual([]);
    expect(await readdir(hub.config.workdir)).not.toContain('escaped.txt');
  });

  it('refuses an invalid adapter naming its line, and registers nothing', async () => {
    const before = await hub.calcPackages.list();
    const zipPath = join(scratch, 'bad.zip');
    await writeFile(
      zipPath,
      rawZip([
        { name: 'adapter.xml', data: '<Adapter name="x" version="1">\n  <Step id="a"/>\n</Adapter>\n' },
      ]),
    );
    expect(await rejectionOf(hub.calcPackages.add({ zip: zipPath }))).toBe(
      'adapter.xml line 2: unknown element <Step> in <Adapter>',
    );
    expect(await hub.calcPackages.list()).toEqual(before);
  });

  it('deletes a package; an unknown id answers the seed message', async () => {
    const added = await hub.calcPackages.add({ dir: HEAT2D });
    await hub.calcPackages.delete(added.id);
    expect(await rejectionOf(hub.calcPackages.get(added.id))).toBe(
      `calcpackage is not existed , calcpackage : ${added.id}`,
    );
    expect(await rejectionOf(hub.calcPackages.delete(added.id))).toBe(
      `calcpackage is not existed , calcpackage : ${added.id}`,
    );
  });
});
