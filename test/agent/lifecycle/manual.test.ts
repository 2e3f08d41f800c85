import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Embedded } from '../../../src/embedded/index.js';
import { HEAT2D, PLATE } from '../../support/hub.js';
import { addAgent, openEmbedded, stateOf, until } from '../../support/embedded.js';

type Data = { process: Record<string, string>; result: Record<string, string> };

/** Registers heat2d and plate on `mirror` and dispatches para.xml; answers the job ids. */
async function dispatchPlate(mirror: Embedded): Promise<number[]> {
  const c = (await mirror.hub.calcPackages.add({ dir: HEAT2D })).id;
  const p = (await mirror.hub.projects.createFromDirectory('plate', PLATE)).project.id;
  const reply = await mirror.call('jobdispatch', 'do', { p_id: p, c_id: c });
  expect(reply[0]).toBe(0);
  return reply[1] as number[];
}

describe('the seed lifecycle, by hand (autorun off)', () => {
  let mirror: Embedded;
  let ids: number[];
  let job: number;
  const call = (service: string, kwargs: Record<string, unknown>) => mirror.call(service, 'do', kwargs);

  beforeAll(async () => {
    mirror = await openEmbedded({ autorun: 'false' });
    ids = await dispatchPlate(mirror);
    job = ids[0] ?? 0;
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'assigned',
    );
  });

  it('job.getrid answers the claiming rid', async () => {
    expect(await mirror.call('job', 'getrid', { job_id: job })).toEqual([0, 1]);
  });

  it('answers calls out of order with the current state, and changes nothing', async () => {
    expect(await call('jobfilebuild_1', { job_id: job })).toEqual([
      -1,
      `job ${job} is assigned; filebuild needs it built or ready or finished or failed or killed`,
    ]);
    expect(await call('jobrun_1', { job_id: job })).toEqual([
      -1,
      `job ${job} is assigned; run needs it ready or finished or failed or killed`,
    ]);
    expect(await call('jobkill_1', { job_id: job })).toEqual([-1, `job not running , jobid : ${job}`]);
    expect(await stateOf(mirror, job)).toBe('assigned');
  });

  it('runs dirbuild, filebuild, each step, monitor and recovery, replying [0, []]', async () => {
    expect(await call('jobdirbuild_1', { job_id: job, force: 0 })).toEqual([0, []]);
    const built = await mirror.hub.store.getJob(job);
    expect(built).toMatchObject({
      state: 'built',
      path: join(mirror.hub.config.workdir, 'jobs', String(job)),
    });
    const runDir = built?.path ?? '';
    expect((await stat(join(runDir, '.mirror', 'calc', 'adapter.xml'))).isFile()).toBe(true);
    expect((await stat(join(runDir, '.mirror', 'proj', 'para.xml'))).isFile()).toBe(true);
    expect((await stat(join(runDir, 'SOLVE', 'solver.in.tpl'))).isFile()).toBe(true);

    expect(await call('jobfilebuild_1', { job_id: job })).toEqual([0, []]);
    expect(JSON.parse(await readFile(join(runDir, 'params.json'), 'utf8'))).toMatchObject({
      t_top: '100',
      cells: '32',
    });
    const input = await readFile(join(runDir, 'SOLVE', 'solver.in'), 'utf8');
    expect(input).toContain('top     { type fixedValue;  value 100; }');
    expect(input).toContain('${MIRROR_JOB_ID:-local}');
    await expect(stat(join(runDir, 'SOLVE', 'solver.in.tpl'))).rejects.toThrow();
    expect((await stat(join(runDir, 'SOLVE', 'copper.mat'))).isFile()).toBe(true);

    expect(await call('jobrun_1', { job_id: job })).toEqual([0, []]);
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'ready',
    );
    const afterMesh = await mirror.hub.store.listJobSteps(job);
    expect(afterMesh.map((s) => [s.stepId, s.status])).toEqual([
      ['mesh', 'succeeded'],
      ['solve', 'pending'],
      ['post', 'pending'],
    ]);
    expect(afterMesh[0]).toMatchObject({ exitCode: 0, signal: null, logPath: '.mirror/logs/mesh.log' });

    expect(await call('jobrun_1', { job_id: job, step: 'all' })).toEqual([0, []]);
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'finished',
    );
    expect(await call('jobprocessmonitor_1', { job_id: job })).toEqual([0, []]);
    expect(await call('jobresultrecovery_1', { job_id: job })).toEqual([0, []]);

    const [code, data] = (await mirror.call('jobgetdata', 'do', { job_id: job })) as [number, Data];
    expect(code).toBe(0);
    expect(Object.keys(data).sort()).toEqual(['process', 'result']);
    expect(data.process['currentstep']).toMatch(/^\d+$/);
    expect(data.process['allstep']).toBe('400');
    expect(data.process['converged']).toBe('yes');
    const base = `${mirror.hub.baseUrl}/files/jobs/${job}`;
    expect(data.process['log']).toBe(`${base}/process/log`);
    expect(data.result['field']).toBe(`${base}/result/field`);
    expect(Number(data.result['Tmax'])).toBeGreaterThan(20);
    expect(Number(data.result['Tmax'])).toBeLessThan(100);
  });

  it('reruns one named step on a finished job', async () => {
    expect(await call('jobrun_1', { job_id: job, step: 'post' })).toEqual([0, []]);
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'finished',
    );
    expect(await call('jobrun_1', { job_id: job, step: 'nope' })).toEqual([
      -1,
      `job ${job} has no step "nope" (steps: mesh, solve, post)`,
    ]);
    expect(await call('jobrun_1', { job_id: job })).toEqual([
      -1,
      `job ${job} has no step left to run; name one to run it again`,
    ]);
  });

  it('gives the same results as autorun', async () => {
    const auto = await openEmbedded({ autorun: 'true' });
    const autoIds = await dispatchPlate(auto);
    await until(
      () => Promise.all(autoIds.map((id) => stateOf(auto, id))),
      (states) => states.every((s) => s === 'finished'),
      60_000,
    );
    const outputs = async (m: Embedded, id: number) => {
      const [, data] = (await m.call('jobgetdata', 'do', { job_id: id })) as [number, Data];
      return { Tmax: data.result['Tmax'], Tmean: data.result['Tmean'], flux: data.result['flux'] };
    };
    expect(await outputs(auto, autoIds[0] ?? 0)).toEqual(await outputs(mirror, job));
  });

  it('dirbuild force=1 builds a fresh sibling, keeps the old one and repoints the job', async () => {
    const old = (await mirror.hub.store.getJob(job))?.path ?? '';
    expect(await call('jobdirbuild_1', { job_id: job, force: 0 })).toEqual([
      -1,
      `job ${job} already has its directory ${old}; use force=1 to build a new one`,
    ]);
    expect(await call('jobdirbuild_1', { job_id: job, force: 1 })).toEqual([0, []]);
    const now = await mirror.hub.store.getJob(job);
    expect(now).toMatchObject({ state: 'built', path: `${old}.2` });
    expect((await stat(join(old, 'params.json'))).isFile()).toBe(true);
  });

  it('on the wrong rid answers [-1, ...] and touches nothing', async () => {
    await addAgent(mirror, 2);
    const before = await mirror.hub.store.getJob(job);
    const events = await mirror.hub.store.listJobEvents(job);
    for (const service of [
      'jobdirbuild_2',
      'jobfilebuild_2',
      'jobrun_2',
      'jobprocessmonitor_2',
      'jobresultrecovery_2',
      'jobkill_2',
      'jobdelete_2',
    ]) {
      expect(await call(service, { job_id: job })).toEqual([-1, `job ${job} is on rid 1, not on rid 2`]);
    }
    expect(await mirror.hub.store.getJob(job)).toEqual(before);
    expect(await mirror.hub.store.listJobEvents(job)).toEqual(events);
  });

  it('deletes the job: rows, every run directory and its stored files', async () => {
    const runDirs = [
      join(mirror.hub.config.workdir, 'jobs', String(job)),
      join(mirror.hub.config.workdir, 'jobs', `${job}.2`),
    ];
    const items = await mirror.hub.store.listJobItems(job);
    const shas = items.flatMap((i) => (i.sha256 ? [i.sha256] : []));
    expect(shas.length).toBeGreaterThan(0);
    expect(await call('jobdelete_1', { job_id: job })).toEqual([0, []]);
    for (const dir of runDirs) await expect(stat(dir)).rejects.toThrow();
    for (const sha of shas) {
      expect(await mirror.hub.store.getStoredFile(sha)).toBeUndefined();
      await expect(stat(mirror.hub.fileStore.pathOf(sha))).rejects.toThrow();
    }
    expect(await mirror.hub.store.getJob(job)).toBeUndefined();
    expect(await mirror.call('job', 'getrid', { job_id: job })).toEqual([
      -1,
      `job is not existed , job : ${job}`,
    ]);
  });

  it("answers the seed's message for an unknown job on every verb", async () => {
    const missing = 99_999;
    const message = `job is not existed , job : ${missing}`;
    for (const service of [
      'jobdirbuild_1',
      'jobfilebuild_1',
      'jobrun_1',
      'jobprocessmonitor_1',
      'jobresultrecovery_1',
      'jobkill_1',
      'jobdelete_1',
      'jobgetdata',
    ]) {
      expect(await call(service, { job_id: missing })).toEqual([-1, message]);
    }
    expect(await mirror.call('job', 'getrid', { job_id: missing })).toEqual([-1, message]);
  });
});
