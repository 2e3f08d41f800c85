// A job row whose path was changed behind the agent's back (a forged state change, a
// hand-edited database) names a directory that is not one of the job's own: every phase
// refuses to touch it, and deleting the job removes only its own run directories.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Embedded } from '../../../src/embedded/index.js';
import { HEAT2D, PLATE } from '../../support/hub.js';
import { openEmbedded, scratchDir, stateOf, until } from '../../support/embedded.js';

describe('a job whose row names a directory that is not its own', () => {
  let mirror: Embedded;
  let job: number;
  let victim: string;
  let ownDir: string;
  const call = (service: string, kwargs: Record<string, unknown>) => mirror.call(service, 'do', kwargs);

  beforeAll(async () => {
    mirror = await openEmbedded({ autorun: 'false' });
    const c = (await mirror.hub.calcPackages.add({ dir: HEAT2D })).id;
    const p = (await mirror.hub.projects.createFromDirectory('plate', PLATE)).project.id;
    [job = 0] = await mirror.hub.dispatch({ projectId: p, packageId: c, paraName: 'para.xml' });
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'assigned',
    );
    expect(await call('jobdirbuild_1', { job_id: job, force: 0 })).toEqual([0, []]);
    ownDir = join(mirror.hub.config.workdir, 'jobs', String(job));
    victim = await scratchDir('mirror-victim-');
    await mkdir(join(victim, 'keep'));
    await writeFile(join(victim, 'keep', 'data.txt'), 'precious\n');
    // built → built is a legal change (dirbuild force=1); only its path is forged.
    await mirror.hub.store.transitionJob(job, {
      from: ['built'],
      to: 'built',
      reason: 'forged',
      path: victim,
    });
  });

  const refusal = () =>
    `job ${job}: its path ${JSON.stringify(victim)} is not one of its run directories under ${join(mirror.hub.config.workdir, 'jobs')}; refusing to touch it`;

  it('filebuild refuses it and writes nothing there', async () => {
    expect(await call('jobfilebuild_1', { job_id: job })).toEqual([-1, refusal()]);
    await expect(stat(join(victim, 'params.json'))).rejects.toThrow(/ENOENT/);
    expect(await stateOf(mirror, job)).toBe('built');
  });

  it('monitor refuses it', async () => {
    expect(await call('jobprocessmonitor_1', { job_id: job })).toEqual([-1, refusal()]);
  });

  it('delete removes the job and its own run directory, and leaves the named directory whole', async () => {
    expect(await call('jobdelete_1', { job_id: job, force: 0 })).toEqual([0, []]);
    expect(await mirror.hub.store.getJob(job)).toBeUndefined();
    await expect(stat(ownDir)).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(victim, 'keep', 'data.txt'), 'utf8')).toBe('precious\n');
  });
});
