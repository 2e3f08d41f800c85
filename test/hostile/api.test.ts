// Hostile API calls: bad arguments over /proxy and RPC, oversized bodies and uploads,
// slow clients, unknown services, path traversal in file URLs, missing or wrong tokens
// on every route, cross-origin requests. Each gets its exact answer and changes nothing.
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedded } from '../../src/embedded/index.js';
import { createGateway } from '../../src/hub/http/index.js';
import { HEAT2D, PLATE } from '../support/hub.js';
import { openEmbedded } from '../support/embedded.js';
import { hubSnapshot } from './unchanged.js';

const TOKEN = 'hostile-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const KiB = 1024;

let mirror: Embedded;
let app: FastifyInstance;
let base: string;
let job: number;

beforeAll(async () => {
  mirror = await openEmbedded({
    autorun: 'false',
    'http.token': TOKEN,
    'limits.uploadBytes': String(64 * KiB),
    'http.requestTimeoutMs': '1500',
    'http.headersTimeoutMs': '500',
    'http.idleTimeoutMs': '3000',
  });
  const c = (await mirror.hub.calcPackages.add({ dir: HEAT2D })).id;
  const p = (await mirror.hub.projects.createFromDirectory('plate', PLATE)).project.id;
  [job = 0] = await mirror.hub.dispatch({ projectId: p, packageId: c, paraName: 'para.xml' });
  app = await createGateway(mirror.hub);
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => app.close());

/** [case, kwargs as /proxy query, as RPC JSON, the exact failure]. */
const ARGUMENTS: [string, string, Record<string, unknown>, string][] = [
  ['a negative id', 'job_id=-1', { job_id: -1 }, 'argument job_id: %s is not a positive integer'],
  ['a float id', 'job_id=1.5', { job_id: 1.5 }, 'argument job_id: %s is not a positive integer'],
  [
    'a huge id',
    'job_id=99999999999999999999',
    { job_id: 1e20 },
    'argument job_id: %s is not a positive integer',
  ],
  [
    'an id too large for the store',
    'job_id=2147483648',
    { job_id: 2147483648 },
    'argument job_id: %s is not a positive integer',
  ],
  ['a string id', 'job_id=abc', { job_id: 'abc' }, 'argument job_id: %s is not a positive integer'],
  ['a zero id', 'job_id=0', { job_id: 0 }, 'argument job_id: %s is not a positive integer'],
  ['an extra argument', `job_id=1&rm=1`, { job_id: 1, rm: 1 }, 'unknown argument rm'],
  ['a missing argument', '', {}, 'missing argument job_id'],
];

describe('hostile arguments, over /proxy and RPC alike', () => {
  it.each(ARGUMENTS)('%s', async (_name, query, kwargs, message) => {
    const before = await hubSnapshot(mirror.hub);
    const shownQuery = JSON.stringify(new URLSearchParams(query).get('job_id'));
    const res = await fetch(`${base}/proxy/job-getrid?${query}`, { headers: auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([-1, message.replace('%s', shownQuery)]);
    const shownJson = JSON.stringify(kwargs['job_id']);
    expect(await mirror.call('job', 'getrid', kwargs, 'json')).toEqual([
      -1,
      message.replace('%s', shownJson),
    ]);
    expect(await hubSnapshot(mirror.hub)).toEqual(before);
  });

  it('a repeated argument, an unknown service, an unknown method', async () => {
    const get = async (path: string) => (await fetch(`${base}${path}`, { headers: auth })).json();
    expect(await get('/proxy/job-getrid?job_id=1&job_id=2')).toEqual([
      -1,
      'argument job_id is given more than once',
    ]);
    expect(await get('/proxy/rm_rf-do?job_id=1')).toEqual([-1, 'unknown service rm_rf']);
    expect(await get('/proxy/job-eval?job_id=1')).toEqual([-1, 'unknown method eval of service job']);
    expect(await mirror.call('jobrun_99', 'do', { job_id: job }, 'json')).toEqual([
      -1,
      'unknown service jobrun_99',
    ]);
  });
});

describe('hostile bodies and uploads', () => {
  it('a JSON body over limits.uploadBytes is refused with 413', async () => {
    const before = await hubSnapshot(mirror.hub);
    const res = await fetch(`${base}/api/projects`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(100 * KiB) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: { code: 'BAD_REQUEST', message: 'bad request: Request body is too large' },
    });
    expect(await hubSnapshot(mirror.hub)).toEqual(before);
  });

  it('an uploaded project file over the limit is refused and not stored', async () => {
    const before = await hubSnapshot(mirror.hub);
    const res = await fetch(`${base}/api/projects/1/files/big.dat`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(100 * KiB),
    });
    expect(res.status).toBe(413);
    expect(await hubSnapshot(mirror.hub)).toEqual(before);
  });

  it('a calc package zip over the limit is refused and not stored', async () => {
    const before = await hubSnapshot(mirror.hub);
    const res = await fetch(`${base}/api/packages`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/zip' },
      body: new Uint8Array(100 * KiB),
    });
    expect(res.status).toBe(413);
    expect(await hubSnapshot(mirror.hub)).toEqual(before);
  });
});

describe('slow clients', () => {
  /** Opens a connection, sends `head` and nothing more; answers when the hub closes it. */
  const closedAfter = (head: string) =>
    new Promise<string>((resolve, reject) => {
      const url = new URL(base);
      const socket = connect(Number(url.port), url.hostname, () => socket.write(head));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
      setTimeout(() => {
        socket.destroy();
        reject(new Error('the hub kept a slow client waiting for 20 s'));
      }, 20_000).unref();
    });

  it('one that never finishes its headers is cut off', async () => {
    const answer = await closedAfter('GET /api/projects HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('one that never sends the body it announced is cut off', async () => {
    const answer = await closedAfter(
      `POST /api/projects HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"na`,
    );
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
    expect((await mirror.hub.store.listProjects()).map((p) => p.name)).toEqual(['plate']);
  });
});

describe('path traversal in file URLs', () => {
  it.each([
    ['an encoded ../ in the key', `/files/jobs/${job}/result/..%2F..%2F..%2Fetc%2Fpasswd`],
    ['../ in the section', `/files/jobs/${job}/..%2F..%2Fetc/passwd`],
    ['a job id that is a path', '/files/jobs/..%2F1/result/summary'],
  ])('%s finds nothing', async (_name, path) => {
    const res = await fetch(`${base}${path}`, { headers: auth });
    expect([400, 404]).toContain(res.status);
    expect(await res.text()).not.toContain('root:');
  });
});

describe('tokens on every route', () => {
  const ROUTES = [
    '/proxy/job-getrid?job_id=1',
    '/api/projects',
    '/api/jobs',
    '/api/openapi.json',
    '/api/docs',
    '/api/events',
    '/files/jobs/1/result/summary',
    '/agent/jobs/1',
    '/',
  ];

  it.each(ROUTES)('%s refuses no token and a wrong one', async (route) => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { 'x-mirror-token': `${TOKEN}x` },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${base}${route}`, { headers });
      expect(res.status).toBe(401);
      const body = await res.text();
      const path = route.split('?')[0] ?? '';
      const agent = path.startsWith('/agent/');
      const message = agent
        ? `missing or wrong agent credential for ${path} (agent routes take agent.credential, never a user token)`
        : `missing or wrong token for ${path}`;
      expect(body).toBe(
        route.startsWith('/proxy/')
          ? JSON.stringify([-1, message])
          : JSON.stringify({ error: { code: agent ? 'AGENT_UNAUTHORIZED' : 'UNAUTHORIZED', message } }),
      );
    }
    const wrongQuery = await fetch(`${base}${route}${route.includes('?') ? '&' : '?'}token=nope`);
    expect(wrongQuery.status).toBe(401);
  });
});

describe('cross-origin requests', () => {
  it('get no CORS headers, and a foreign Origin is refused: a page elsewhere cannot read the hub', async () => {
    const preflight = await fetch(`${base}/api/projects`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET', ...auth },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${base}/api/projects`, { headers: { origin: 'http://evil.example', ...auth } });
    expect(get.status).toBe(403);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
    expect(get.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
