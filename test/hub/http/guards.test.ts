// The gateway's guards, what they let through: the hub's own pages calling it, origins
// an operator allowed, a link opening a page, the hosts served by default and as
// configured; and unknown routes answered in Mirror's shape.
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../../src/hub/http/index.js';
import { hostFilter } from '../../../src/hub/http/guards/allowed-hosts.js';
import { openEmbedded } from '../../support/embedded.js';

const cors = (site: string, origin: string) => ({
  'sec-fetch-site': site,
  'sec-fetch-mode': 'cors',
  'sec-fetch-dest': 'empty',
  origin,
});

describe('cross-site requests the guards let through', () => {
  it('the hub’s own pages, an allowed origin, the public URL’s origin, and a link opening a page', async () => {
    const mirror = await openEmbedded({
      autorun: 'false',
      'http.allowedOrigins': 'https://portal.example.org',
      'http.publicUrl': 'https://mirror.example.org',
    });
    const app = await createGateway(mirror.hub);
    try {
      const get = async (url: string, headers: Record<string, string>) =>
        (await app.inject({ method: 'GET', url, headers: { host: '127.0.0.1:8000', ...headers } }))
          .statusCode;
      expect(await get('/api/jobs', cors('same-origin', 'http://127.0.0.1:8000'))).toBe(200);
      expect(await get('/api/jobs', { origin: 'http://127.0.0.1:8000' })).toBe(200);
      expect(await get('/api/jobs', cors('cross-site', 'https://portal.example.org'))).toBe(200);
      expect(await get('/api/jobs', { origin: 'https://mirror.example.org' })).toBe(200);
      expect(await get('/api/jobs', cors('cross-site', 'https://other.example.org'))).toBe(403);
      const link = {
        'sec-fetch-site': 'cross-site',
        'sec-fetch-mode': 'navigate',
        'sec-fetch-dest': 'document',
      };
      expect(await get('/api/docs', link)).toBe(200);
      expect(await get('/api/jobs', link)).toBe(403); // only the pages open from a link
      expect((await app.inject({ method: 'POST', url: '/api/docs', headers: link })).statusCode).toBe(403);
    } finally {
      await app.close();
    }
  });

  it('answers an unknown route with ROUTE_NOT_FOUND, as [-1, ...] under /proxy', async () => {
    const mirror = await openEmbedded({ autorun: 'false' });
    const app = await createGateway(mirror.hub);
    try {
      const api = await app.inject({ method: 'GET', url: '/api/nothing?x=1' });
      expect(api.statusCode).toBe(404);
      expect(api.json()).toEqual({
        error: { code: 'ROUTE_NOT_FOUND', message: 'no route GET "/api/nothing"' },
      });
      const proxy = await app.inject({ method: 'DELETE', url: '/proxy/job-getrid' });
      expect(proxy.json()).toEqual([-1, 'no route DELETE "/proxy/job-getrid"']);
    } finally {
      await app.close();
    }
  });
});

describe('the hosts a hub serves', () => {
  it('by default on loopback: the loopback names and the address, any port', () => {
    const allowed = hostFilter({ listenHost: '127.0.0.1', allowed: [], publicUrl: '' });
    for (const host of ['127.0.0.1:8000', 'localhost:8000', 'LOCALHOST', '[::1]:8000', undefined]) {
      expect(allowed(host)).toBe(true);
    }
    for (const host of [
      'evil.example',
      'evil.example:8000',
      '127.0.0.1.evil.example',
      '',
      'a b',
      'x@127.0.0.1',
    ]) {
      expect(allowed(host)).toBe(false);
    }
  });

  it('on a wildcard address: every interface address, localhost and the host’s name', () => {
    const allowed = hostFilter({ listenHost: '0.0.0.0', allowed: [], publicUrl: '' });
    expect(allowed(`${hostname()}:8000`)).toBe(true);
    expect(allowed('localhost:8000')).toBe(true);
    expect(allowed('rebound.evil.example:8000')).toBe(false);
  });

  it('as configured: names on any port, host:port exactly, the public URL’s host, or * for any', () => {
    const allowed = hostFilter({
      listenHost: '127.0.0.1',
      allowed: ['mirror.internal', 'hpc-01:8000'],
      publicUrl: 'https://mirror.example.org',
    });
    expect(allowed('mirror.internal:9999')).toBe(true);
    expect(allowed('hpc-01:8000')).toBe(true);
    expect(allowed('hpc-01:8001')).toBe(false);
    expect(allowed('mirror.example.org')).toBe(true);
    expect(allowed('127.0.0.1:8000')).toBe(false); // the list replaces the default
    expect(hostFilter({ listenHost: '127.0.0.1', allowed: ['*'], publicUrl: '' })('anything.example')).toBe(
      true,
    );
  });
});
