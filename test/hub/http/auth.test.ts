import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkListenAddress, createGateway } from '../../../src/hub/http/index.js';
import { openEmbedded } from '../../support/embedded.js';
import { errorOf } from '../../support/error-of.js';

describe('token authentication', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const mirror = await openEmbedded({ autorun: 'false', 'http.token': 's3cret' });
    app = await createGateway(mirror.hub);
    return () => app.close();
  });

  it('answers 401 on every route without the token or with a wrong one', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { 'x-mirror-token': 's3cre' }]) {
      const proxy = await app.inject({ method: 'GET', url: '/proxy/job-getrid?job_id=1', headers });
      expect(proxy.statusCode).toBe(401);
      expect(proxy.json()).toEqual([-1, 'missing or wrong token for /proxy/job-getrid']);
      const files = await app.inject({ method: 'GET', url: '/files/jobs/1/result/x', headers });
      expect(files.statusCode).toBe(401);
      expect(files.json()).toEqual({
        error: { code: 'UNAUTHORIZED', message: 'missing or wrong token for /files/jobs/1/result/x' },
      });
    }
    expect(
      (await app.inject({ method: 'GET', url: '/proxy/job-getrid?job_id=1&token=nope' })).statusCode,
    ).toBe(401);
  });

  it('lets the token through as a bearer header, X-Mirror-Token or a query parameter', async () => {
    const expected = [-1, 'job is not existed , job : 1'];
    for (const [url, headers] of [
      ['/proxy/job-getrid?job_id=1', { authorization: 'Bearer s3cret' }],
      ['/proxy/job-getrid?job_id=1', { 'x-mirror-token': 's3cret' }],
      ['/proxy/job-getrid?job_id=1&token=s3cret', {}],
    ] as const) {
      const res = await app.inject({ method: 'GET', url, headers });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(expected);
    }
    const api = await app.inject({
      method: 'GET',
      url: '/api/jobs',
      headers: { authorization: 'Bearer s3cret' },
    });
    expect(api.json()).toEqual({ jobs: [], next: null });
  });
});

describe('listening address', () => {
  it('refuses a non-loopback address without a token unless told to', () => {
    expect(errorOf(() => checkListenAddress('0.0.0.0', '', false))).toBe(
      'refusing to listen on 0.0.0.0 without a token (set http.token, or http.allowInsecure to override)',
    );
    expect(() => checkListenAddress('0.0.0.0', 'tok', false)).not.toThrow();
    expect(() => checkListenAddress('0.0.0.0', '', true)).not.toThrow();
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost'])
      expect(() => checkListenAddress(host, '', false)).not.toThrow();
  });
});
