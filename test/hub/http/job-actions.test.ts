import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Embedded } from '../../../src/embedded/index.js';
import { createGateway } from '../../../src/hub/http/index.js';
import {
  dispatchOne,
  fixturePackage,
  isAlive,
  openEmbedded,
  stateOf,
  until,
} from '../../support/embedded.js';

describe('acting on jobs through /api', () => {
  let mirror: Embedded;
  let app: FastifyInstance;
  beforeAll(async () => {
    mirror = await openEmbedded({ autorun: 'true', slots: '4' });
    app = await createGateway(mirror.hub);
    return () => app.close();
  });

  it('reruns a finished job: queued again, its data cleared, then finished in a fresh directory', async () => {
    const job = await dispatchOne(
      mirror,
      await fixturePackage(
        `<ExeArgument id="s" type="shell" value="echo {x} > out.txt" priority="1"/><Output key="x" file="out.txt" pattern="(\\S+)"/>`,
      ),
      { x: 'one' },
    );
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'finished',
    );
    const firstPath = (await mirror.hub.store.getJob(job))?.path;
    expect((await app.inject({ method: 'POST', url: `/api/jobs/${job}/rerun` })).statusCode).toBe(200);
    const refused = await app.inject({
      method: 'PUT',
      url: `/api/jobs/${job}/params`,
      payload: { params: { x: 'two', 'bad name': 'v' } },
    });
    expect(refused.json()).toEqual({
      error: {
        code: 'PARAM_NAME_INVALID',
        message: 'parameter name "bad name" is not an identifier (or is reserved)',
      },
    });
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'finished',
    );
    const again = await mirror.hub.store.getJob(job);
    expect(again?.path).toBe(`${firstPath ?? ''}.2`);
    const events = (await mirror.hub.store.listJobEvents(job)).map((e) => e.to);
    expect(events.slice(events.indexOf('queued', 1))).toEqual([
      'queued',
      'assigned',
      'built',
      'ready',
      'running',
      'finished',
    ]);
    expect((await app.inject({ method: 'POST', url: `/api/jobs/${job}/rerun` })).statusCode).toBe(200);
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'finished',
    );
  });

  it('edits parameters, but not while the job runs', async () => {
    const job = await dispatchOne(
      mirror,
      await fixturePackage(`<ExeArgument id="hang" type="shell" value="forever.sh" priority="1"/>`),
    );
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'running',
    );
    const res = await app.inject({
      method: 'PUT',
      url: `/api/jobs/${job}/params`,
      payload: { params: { x: '1' } },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      error: { code: 'JOB_IS_RUNNING', message: `job is running , jobid : ${job}` },
    });
    expect((await app.inject({ method: 'POST', url: `/api/jobs/${job}/kill` })).json()).toEqual({ ok: true });
    const edited = await app.inject({
      method: 'PUT',
      url: `/api/jobs/${job}/params`,
      payload: { params: { x: '1' } },
    });
    expect(edited.json<{ params: Record<string, string> }>().params).toEqual({ x: '1' });
    expect((await mirror.hub.store.listJobEvents(job)).at(-1)).toMatchObject({
      from: 'killed',
      to: 'killed',
      reason: 'parameters edited: x',
    });
  });

  it('kills every job a selector matches, reporting each one', async () => {
    const pkg = await fixturePackage(`<ExeArgument id="hang" type="shell" value="forever.sh" priority="1"/>`);
    const c = (await mirror.hub.calcPackages.add({ dir: pkg })).id;
    const para = '<Para><States><Param name="i" values="1 2 3"/></States></Para>';
    const { project } = await mirror.hub.projects.create('three', [
      { name: 'para.xml', data: new TextEncoder().encode(para) },
    ]);
    const ids = await mirror.hub.dispatch({ projectId: project.id, packageId: c, paraName: 'para.xml' });
    await until(
      () => Promise.all(ids.map((id) => stateOf(mirror, id))),
      (s) => s.every((x) => x === 'running'),
    );
    const pids = await Promise.all(
      ids.map(async (id) => {
        const { readFile } = await import('node:fs/promises');
        const path = (await mirror.hub.store.getJob(id))?.path ?? '';
        const log = await until(
          () => readFile(`${path}/.mirror/logs/hang.log`, 'utf8').catch(() => ''),
          (t) => t.includes('started'),
        );
        return Number(/started (\d+)/.exec(log)?.[1]);
      }),
    );
    const bulk = await app.inject({
      method: 'POST',
      url: '/api/jobs/bulk',
      payload: { action: 'kill', selector: { project: project.id, state: 'running' } },
    });
    expect(bulk.json()).toEqual({ done: ids, failed: [] });
    for (const pid of pids) expect(await isAlive(pid)).toBe(false);
    const again = await app.inject({
      method: 'POST',
      url: '/api/jobs/bulk',
      payload: { action: 'kill', ids },
    });
    expect(again.json()).toEqual({
      done: [],
      failed: ids.map((id) => ({ id, message: `job not running , jobid : ${id}` })),
    });
    const deleted = await app.inject({
      method: 'POST',
      url: '/api/jobs/bulk',
      payload: { action: 'delete', ids },
    });
    expect(deleted.json()).toEqual({ done: ids, failed: [] });
    expect(await mirror.hub.store.countJobs({ projectId: project.id })).toBe(0);
  });

  it('lists the resource machine with its slots and heartbeat', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/machines' });
    const [machine] = res.json<{
      machines: { rid: number; slots: number; alive: boolean; lastHeartbeat: number; host: string }[];
    }>().machines;
    expect(machine).toMatchObject({ rid: 1, slots: 4, alive: true });
    expect(machine?.host.length).toBeGreaterThan(0);
    expect(Date.now() - (machine?.lastHeartbeat ?? 0)).toBeLessThan(60_000);
  });
});
