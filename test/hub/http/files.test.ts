import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Embedded } from '../../../src/embedded/index.js';
import { createGateway } from '../../../src/hub/http/index.js';
import { dispatchOne, fixturePackage, openEmbedded, stateOf, until } from '../../support/embedded.js';

type Data = { process: Record<string, string>; result: Record<string, string> };

describe('/files, the URLs jobgetdata answers', () => {
  let mirror: Embedded;
  let app: FastifyInstance;
  let job: number;
  let data: Data;
  const path = (url: string | undefined) => new URL(url ?? 'http://x/none').pathname;

  beforeAll(async () => {
    mirror = await openEmbedded({ autorun: 'true' });
    app = await createGateway(mirror.hub);
    job = await dispatchOne(
      mirror,
      await fixturePackage(
        `<ExeArgument id="s" type="shell" value="mkdir -p OUT; seq 1 1000 > OUT/series.dat; echo Cd = 0.25 > forces.txt" priority="1"/>
         <Process key="series" file="OUT/series.dat"/>
         <Result key="forces" file="forces.txt"/>
         <Result key="out" file="OUT"/>
         <Output key="cd" file="forces.txt" pattern="Cd = (\\S+)"/>`,
      ),
    );
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'finished',
    );
    data = ((await mirror.call('jobgetdata', 'do', { job_id: job })) as [number, Data])[1];
    return () => app.close();
  });

  it('serves a recovered result file with its type, length and sha256 ETag; 304 when unchanged', async () => {
    expect(data.result['cd']).toBe('0.25');
    const res = await app.inject({ method: 'GET', url: path(data.result['forces']) });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('Cd = 0.25\n');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['content-length']).toBe('10');
    const sha = createHash('sha256').update('Cd = 0.25\n').digest('hex');
    expect(res.headers.etag).toBe(`"${sha}"`);
    const again = await app.inject({
      method: 'GET',
      url: path(data.result['forces']),
      headers: { 'if-none-match': `"${sha}"` },
    });
    expect(again.statusCode).toBe(304);
  });

  it('answers a byte range with 206, and refuses one outside the file with 416', async () => {
    const url = path(data.process['series']);
    const whole = await readFile(
      join((await mirror.hub.store.getJob(job))?.path ?? '', 'OUT', 'series.dat'),
      'utf8',
    );
    const part = await app.inject({ method: 'GET', url, headers: { range: 'bytes=2-9' } });
    expect(part.statusCode).toBe(206);
    expect(part.body).toBe(whole.slice(2, 10));
    expect(part.headers['content-range']).toBe(`bytes 2-9/${whole.length}`);
    const tail = await app.inject({ method: 'GET', url, headers: { range: 'bytes=-5' } });
    expect(tail.body).toBe(whole.slice(-5));
    const outside = await app.inject({
      method: 'GET',
      url,
      headers: { range: `bytes=${whole.length + 10}-` },
    });
    expect(outside.statusCode).toBe(416);
    expect(outside.json()).toEqual({
      error: {
        code: 'RANGE_NOT_SATISFIABLE',
        message: `range "bytes=${whole.length + 10}-" does not fit a file of ${whole.length} bytes`,
      },
    });
  });

  it('serves a directory item as a zip', async () => {
    const res = await app.inject({ method: 'GET', url: path(data.result['out']) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="OUT.zip"; filename*=UTF-8''OUT.zip`,
    );
    expect(res.rawPayload.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  });

  it('serves a process file live from the run directory before recovery', async () => {
    await mirror.hub.store.putJobItems(job, [
      { section: 'process', key: 'live', kind: 'file', value: 'forces.txt', sha256: null, size: null },
    ]);
    const res = await app.inject({ method: 'GET', url: `/files/jobs/${job}/process/live` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('Cd = 0.25\n');
    expect(res.headers.etag).toMatch(/^W\/"10-\d+"$/);
  });

  it('answers 404 naming what is not there, and never leaves the run directory', async () => {
    const missing = await app.inject({ method: 'GET', url: `/files/jobs/${job}/result/nope` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      error: { code: 'FILE_ITEM_NOT_FOUND', message: `job ${job} has no "result" file "nope"` },
    });
    expect((await app.inject({ method: 'GET', url: '/files/jobs/999/result/x' })).json()).toEqual({
      error: { code: 'JOB_NOT_FOUND', message: 'job is not existed , job : 999' },
    });
    await mirror.hub.store.putJobItems(job, [
      {
        section: 'process',
        key: 'escape',
        kind: 'file',
        value: '../../../etc/passwd',
        sha256: null,
        size: null,
      },
    ]);
    const escape = await app.inject({ method: 'GET', url: `/files/jobs/${job}/process/escape` });
    expect(escape.statusCode).toBe(404);
    expect(escape.body).not.toContain('root:');
    const traversal = await app.inject({ method: 'GET', url: `/files/jobs/${job}/../../etc/passwd` });
    expect(traversal.statusCode).toBe(404);
    expect(traversal.body).not.toContain('root:');
  });
});
