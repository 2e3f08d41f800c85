// The API the dashboard reads a sweep through: the dispatch preview, counts by state,
// dispatches, a sweep's results (JSON and CSV) and a process file as series.
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Embedded } from '../../../src/embedded/index.js';
import { createGateway } from '../../../src/hub/http/index.js';
import { openEmbedded, until } from '../../support/embedded.js';
import { HEAT2D, PLATE } from '../../support/hub.js';

describe('the sweep API', () => {
  let mirror: Embedded;
  let app: FastifyInstance;
  let projectId: number;
  let packageId: number;

  beforeAll(async () => {
    mirror = await openEmbedded({ autorun: 'true' });
    app = await createGateway(mirror.hub);
    packageId = (await mirror.hub.calcPackages.add({ dir: HEAT2D })).id;
    projectId = (await mirror.hub.projects.createFromDirectory('plate', PLATE)).project.id;
    return () => app.close();
  });

  const get = async <T>(url: string) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };

  it('previews a dispatch without making a job, and answers the error a dispatch would', async () => {
    const preview = await app.inject({
      method: 'POST',
      url: '/api/dispatch/preview',
      payload: { projectId, packageId, paraName: 'para.xml' },
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toEqual({
      jobs: 4,
      parameters: ['t_top', 'cells'],
      labels: ['t_top=100,cells=32', 't_top=100,cells=48', 't_top=200,cells=32', 't_top=200,cells=48'],
    });
    const refused = await app.inject({
      method: 'POST',
      url: '/api/dispatch/preview',
      payload: { projectId, packageId, paraName: 'nope.xml' },
    });
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toEqual({
      error: { code: 'PARA_NOT_IN_PROJECT', message: `para file "nope.xml" is not in project ${projectId}` },
    });
    expect(await mirror.hub.store.countJobs()).toBe(0);
    expect(await get('/api/dispatches')).toEqual({ dispatches: [] });
  });

  it('lists dispatches, counts jobs by state, and collects a finished sweep’s results as JSON and CSV', async () => {
    const ids = await mirror.hub.dispatch({ projectId, packageId, paraName: 'para.xml' });
    const counted = await get<{ counts: Record<string, number> }>(`/api/jobs/counts?project=${projectId}`);
    expect(Object.values(counted.counts).reduce((a, b) => a + b, 0)).toBe(4);
    expect(Object.keys(counted.counts)).toHaveLength(9);
    await until(
      () => get<{ counts: Record<string, number> }>(`/api/jobs/counts?project=${projectId}`),
      (c) => c.counts['finished'] === 4,
      60_000,
    );
    const { dispatches } = await get<{ dispatches: { id: number; jobCount: number }[] }>(
      `/api/dispatches?project=${projectId}`,
    );
    expect(dispatches).toHaveLength(1);
    expect(dispatches[0]).toMatchObject({ projectId, packageId, paraName: 'para.xml', jobCount: 4 });
    const dispatchId = dispatches[0]?.id ?? 0;

    const results = await get<{
      parameters: string[];
      outputs: string[];
      rows: {
        jobId: number;
        state: string;
        params: Record<string, string>;
        outputs: Record<string, string>;
      }[];
    }>(`/api/dispatches/${dispatchId}/results`);
    expect(results.parameters).toEqual(['t_top', 'cells']);
    expect(results.outputs).toEqual(['Tmax', 'Tmean', 'flux']);
    expect(results.rows.map((r) => r.jobId)).toEqual(ids);
    expect(results.rows[0]).toMatchObject({ state: 'finished', params: { t_top: '100', cells: '32' } });
    for (const row of results.rows) expect(Number(row.outputs['Tmax'])).toBeGreaterThan(0);

    const csv = await app.inject({ method: 'GET', url: `/api/dispatches/${dispatchId}/results.csv` });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('job,state,label,t_top,cells,Tmax,Tmean,flux');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(
      `${ids[0]},finished,"t_top=100,cells=32",100,32,${results.rows[0]?.outputs['Tmax']},${results.rows[0]?.outputs['Tmean']},${results.rows[0]?.outputs['flux']}`,
    );

    const missing = await app.inject({ method: 'GET', url: '/api/dispatches/999/results' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      error: { code: 'DISPATCH_NOT_FOUND', message: 'dispatch is not existed , dispatch : 999' },
    });
  });

  it('reads a process file as numeric series: the residual history of a finished job', async () => {
    const [job] = (await mirror.hub.store.listJobs({ state: 'finished', order: 'asc' })).map((j) => j.id);
    const series = await get<{ key: string; columns: string[]; rows: number[][] }>(
      `/api/jobs/${job}/series/residuals`,
    );
    expect(series.key).toBe('residuals');
    expect(series.columns).toEqual(['x', 'y1']);
    expect(series.rows.length).toBeGreaterThan(2);
    expect(series.rows[0]?.[0]).toBe(1);
    for (const row of series.rows) expect(row).toHaveLength(2);

    const unknown = await app.inject({ method: 'GET', url: `/api/jobs/${job}/series/nope` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ error: { code: string } }>().error.code).toBe('FILE_ITEM_NOT_FOUND');
  });
});
