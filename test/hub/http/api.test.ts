import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { walkDirectory, writeZip } from '../../../src/archive/index.js';
import type { Embedded } from '../../../src/embedded/index.js';
import { apiRoutes } from '../../../src/hub/api/index.js';
import { createGateway } from '../../../src/hub/http/index.js';
import { openEmbedded, scratchDir, stateOf, until } from '../../support/embedded.js';
import { HEAT2D, PLATE } from '../../support/hub.js';

describe('the REST API', () => {
  let mirror: Embedded;
  let app: FastifyInstance;
  let projectId: number;
  let packageId: number;
  let jobIds: number[];

  beforeAll(async () => {
    mirror = await openEmbedded({ autorun: 'true' });
    app = await createGateway(mirror.hub);
    return () => app.close();
  });

  it('registers a calc package uploaded as a zip', async () => {
    const zip = join(await scratchDir('mirror-api-'), 'heat2d.zip');
    const files = await walkDirectory(HEAT2D);
    await writeZip(
      files.map((f) => ({ path: f.path, absPath: f.absPath, executable: f.executable })),
      zip,
    );
    const res = await app.inject({
      method: 'POST',
      url: '/api/packages',
      headers: { 'content-type': 'application/zip' },
      payload: await readFile(zip),
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ id: number; name: string; steps: { id: string }[] }>();
    expect(body).toMatchObject({ name: 'heat2d' });
    expect(body.steps.map((s) => s.id)).toEqual(['mesh', 'solve', 'post']);
    packageId = body.id;
    expect((await app.inject({ method: 'GET', url: `/api/packages/${packageId}` })).json()).toEqual(body);
  });

  it('creates a project, uploads, downloads and deletes its files', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'plate' } });
    expect(created.statusCode).toBe(201);
    projectId = created.json<{ project: { id: number } }>().project.id;
    for (const name of ['para.xml', 'copper.mat']) {
      const put = await app.inject({
        method: 'PUT',
        url: `/api/projects/${projectId}/files/${name}`,
        headers: { 'content-type': 'application/octet-stream' },
        payload: await readFile(join(PLATE, name)),
      });
      expect(put.statusCode).toBe(200);
    }
    const got = await app.inject({ method: 'GET', url: `/api/projects/${projectId}/files/copper.mat` });
    expect(got.body).toBe(await readFile(join(PLATE, 'copper.mat'), 'utf8'));
    await app.inject({
      method: 'PUT',
      url: `/api/projects/${projectId}/files/tmp/x.txt`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: 'x',
    });
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/projects/${projectId}/files/tmp/x.txt` })).json(),
    ).toEqual({ ok: true });
    const detail = await app.inject({ method: 'GET', url: `/api/projects/${projectId}` });
    expect(detail.json<{ files: { name: string }[] }>().files.map((f) => f.name)).toEqual([
      'copper.mat',
      'para.xml',
    ]);
  });

  it('dispatches, lists jobs by filter with keyset paging, and shows one job with its history and log', async () => {
    const dispatched = await app.inject({
      method: 'POST',
      url: '/api/dispatch',
      payload: { projectId, packageId },
    });
    expect(dispatched.statusCode).toBe(201);
    jobIds = dispatched.json<{ jobIds: number[] }>().jobIds;
    expect(jobIds).toHaveLength(4);
    await until(
      () => Promise.all(jobIds.map((id) => stateOf(mirror, id))),
      (s) => s.every((x) => x === 'finished'),
      60_000,
    );

    const first = await app.inject({
      method: 'GET',
      url: `/api/jobs?project=${projectId}&state=finished&limit=3`,
    });
    const page = first.json<{ jobs: { id: number }[]; next: number | null }>();
    expect(page.jobs.map((j) => j.id)).toEqual([...jobIds].reverse().slice(0, 3));
    const second = await app.inject({
      method: 'GET',
      url: `/api/jobs?project=${projectId}&limit=3&cursor=${page.next ?? 0}`,
    });
    expect(second.json<{ jobs: { id: number }[]; next: number | null }>()).toEqual({
      jobs: [expect.objectContaining({ id: jobIds[0] })],
      next: null,
    });
    const oldest = await app.inject({
      method: 'GET',
      url: `/api/jobs?project=${projectId}&order=oldest&limit=2`,
    });
    const firstTwo = oldest.json<{ jobs: { id: number }[]; next: number | null }>();
    expect(firstTwo.jobs.map((j) => j.id)).toEqual(jobIds.slice(0, 2));
    const lastTwo = await app.inject({
      method: 'GET',
      url: `/api/jobs?project=${projectId}&order=oldest&limit=2&cursor=${firstTwo.next ?? 0}`,
    });
    expect(lastTwo.json<{ jobs: { id: number }[] }>().jobs.map((j) => j.id)).toEqual(jobIds.slice(2));
    const label = await app.inject({
      method: 'GET',
      url: `/api/jobs?label=${encodeURIComponent('t_top=200,cells=48')}&project=${projectId}`,
    });
    expect(label.json<{ jobs: { id: number }[] }>().jobs.map((j) => j.id)).toEqual([jobIds[3]]);

    const one = await app.inject({ method: 'GET', url: `/api/jobs/${jobIds[0] ?? 0}` });
    const detail = one.json<{
      job: { state: string };
      steps: { stepId: string; status: string }[];
      events: { to: string }[];
      data: { result: Record<string, string> };
    }>();
    expect(detail.job.state).toBe('finished');
    expect(detail.steps.map((s) => [s.stepId, s.status])).toEqual([
      ['mesh', 'succeeded'],
      ['solve', 'succeeded'],
      ['post', 'succeeded'],
    ]);
    expect(detail.events.map((e) => e.to)).toEqual([
      'queued',
      'assigned',
      'built',
      'ready',
      'running',
      'finished',
    ]);
    expect(Number(detail.data.result['Tmax'])).toBeGreaterThan(20);

    const log = await app.inject({ method: 'GET', url: `/api/jobs/${jobIds[0] ?? 0}/logs/solve?offset=0` });
    expect(log.body).toMatch(/^.*Iter 1 of 400/m);
    const next = Number(log.headers['x-next-offset']);
    expect(next).toBe(Buffer.byteLength(log.body));
    expect(Number(log.headers['x-log-size'])).toBe(next);
    const rest = await app.inject({
      method: 'GET',
      url: `/api/jobs/${jobIds[0] ?? 0}/logs/solve?offset=${next}`,
    });
    expect(rest.body).toBe('');
  });

  it('refuses bad requests with the catalog error and its status', async () => {
    const cases: [string, string, number, string, string][] = [
      ['GET', '/api/jobs?state=sleeping', 400, 'API_INVALID', 'query parameter state: '],
      [
        'GET',
        '/api/jobs?limit=0',
        400,
        'API_INVALID',
        'query parameter limit: expected a positive integer (decimal digits)',
      ],
      ['GET', '/api/jobs?limit=501', 400, 'API_INVALID', 'query parameter limit: at most 500'],
      ['GET', '/api/jobs?colour=red', 400, 'API_INVALID', 'query parameter (all): unknown colour'],
      [
        'GET',
        '/api/jobs/abc',
        400,
        'API_INVALID',
        'path parameter id: expected a positive integer (decimal digits)',
      ],
      ['GET', '/api/jobs/999', 404, 'JOB_NOT_FOUND', 'job is not existed , job : 999'],
      ['GET', '/api/projects/999', 404, 'PROJECT_NOT_FOUND', 'project is not existed , project : 999'],
      [
        'GET',
        '/api/packages/999',
        404,
        'PACKAGE_NOT_FOUND',
        'calcpackage is not existed , calcpackage : 999',
      ],
    ];
    for (const [method, url, status, code, message] of cases) {
      const res = await app.inject({ method: method as 'GET', url });
      expect(res.statusCode, url).toBe(status);
      const body = res.json<{ error: { code: string; message: string } }>();
      expect(body.error.code, url).toBe(code);
      expect(body.error.message.startsWith(message), `${url}: ${body.error.message}`).toBe(true);
    }
    const bad = await app.inject({
      method: 'POST',
      url: '/api/dispatch',
      payload: { projectId: 'one', packageId },
    });
    expect(bad.json()).toEqual({
      error: {
        code: 'API_INVALID',
        message: 'body field projectId: Invalid input: expected number, received string',
      },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/dispatch',
      payload: { projectId, packageId: 999 },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({
      error: { code: 'PACKAGE_NOT_FOUND', message: 'calcpackage is not existed , calcpackage : 999' },
    });
  });

  it('describes every /api route in /api/openapi.json', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    }>();
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const declared = apiRoutes(mirror.hub).map((r) => `${r.method} ${r.url.replace('*', '{path}')}`);
    expect(documented.sort()).toEqual([...declared, 'GET /api/events'].sort());
    const listJobs = doc.paths['/api/jobs']?.['get'] as
      { parameters: { name: string; in: string }[] } | undefined;
    expect(listJobs?.parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual([
      'state',
      'project',
      'package',
      'dispatch',
      'rid',
      'label',
      'order',
      'cursor',
      'limit',
    ]);
  });
});

describe('the API document and its page', () => {
  it('is a valid OpenAPI 3.1 document, and Swagger UI shows it from bundled assets', async () => {
    const mirror = await openEmbedded({ autorun: 'false' });
    const app = await createGateway(mirror.hub);
    try {
      const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<
        Record<string, unknown>
      >();
      const result = await new Validator().validate(doc);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
      const page = await app.inject({ method: 'GET', url: '/api/docs' });
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('<script src="/api/docs/swagger-ui-bundle.js"></script>');
      expect(page.body).not.toMatch(/https?:\/\/(?!127)/);
      const bundle = await app.inject({ method: 'GET', url: '/api/docs/swagger-ui-bundle.js' });
      expect(bundle.statusCode).toBe(200);
      expect(bundle.body.length).toBeGreaterThan(100_000);
      expect((await app.inject({ method: 'GET', url: '/api/docs/..%2Fpackage.json' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});
