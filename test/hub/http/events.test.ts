import { appendFile } from 'node:fs/promises';
import { get, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedded } from '../../../src/embedded/index.js';
import { createGateway } from '../../../src/hub/http/index.js';
import { dispatchOne, fixturePackage, openEmbedded, stateOf, until } from '../../support/embedded.js';

interface SseEvent {
  id: number;
  event: string;
  data: Record<string, unknown>;
  receivedAt: number;
}

/** A watcher of /api/events on a real socket, collecting parsed events. */
async function watch(base: string, path: string, headers: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    get(`${base}${path}`, { headers }, resolve).on('error', reject);
  });
  let buffer = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((l) => !l.startsWith(':') && l.includes(': '))
          .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]),
      );
      if (fields['data'] !== undefined) {
        events.push({
          id: Number(fields['id']),
          event: fields['event'] ?? '',
          data: JSON.parse(fields['data']) as Record<string, unknown>,
          receivedAt: Date.now(),
        });
      }
    }
  });
  return { events, response, close: () => response.destroy() };
}

describe('/api/events, the live event stream', () => {
  let mirror: Embedded;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    mirror = await openEmbedded({ autorun: 'true' });
    app = await createGateway(mirror.hub);
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  it('streams state changes, progress and appended process-file lines of a job, in id order', async () => {
    const pkg = await fixturePackage(
      `<ExeArgument id="solve" type="shell" value="slow-progress.sh 8 0.1" priority="1"/>
       <Progress file=".mirror/logs/solve.log" pattern="^Iter (\\d+) of (\\d+)"/>
       <Process key="log" file=".mirror/logs/solve.log"/>`,
    );
    const watcher = await watch(base, '/api/events');
    try {
      const job = await dispatchOne(mirror, pkg);
      await until(
        () => stateOf(mirror, job),
        (s) => s === 'finished',
      );
      await until(
        () =>
          Promise.resolve(
            watcher.events.filter((e) => e.data['jobId'] === job && e.event === 'state').at(-1)?.data[
              'state'
            ],
          ),
        (s) => s === 'finished',
      );
      const mine = watcher.events.filter((e) => e.data['jobId'] === job);
      expect(mine.filter((e) => e.event === 'state').map((e) => e.data['state'])).toEqual([
        'queued',
        'assigned',
        'built',
        'ready',
        'running',
        'finished',
      ]);
      const lines = mine.filter((e) => e.event === 'line').flatMap((e) => e.data['lines'] as string[]);
      expect(lines).toEqual(Array.from({ length: 8 }, (_, i) => `Iter ${i + 1} of 8`));
      const progress = mine.filter((e) => e.event === 'progress').map((e) => Number(e.data['currentstep']));
      expect(progress.length).toBeGreaterThan(0);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
      const ids = watcher.events.map((e) => e.id);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    } finally {
      watcher.close();
    }
  });

  it('delivers a line written into a running job’s process file (the delay is reported, not asserted)', async () => {
    const pkg = await fixturePackage(
      `<ExeArgument id="wait" type="shell" value="touch ../out.txt; sleep 30" workpath="W" priority="1"/>
       <Process key="out" file="out.txt"/>`,
    );
    const job = await dispatchOne(mirror, pkg);
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'running',
    );
    const watcher = await watch(base, `/api/events?job=${job}`);
    try {
      const runDir = (await mirror.hub.store.getJob(job))?.path ?? '';
      await new Promise((r) => setTimeout(r, 300));
      const written = Date.now();
      await appendFile(join(runDir, 'out.txt'), 'residual 1e-3\n');
      const event = await until(
        () => Promise.resolve(watcher.events.find((e) => e.event === 'line')),
        (e) => e !== undefined,
      );
      expect(event?.data).toMatchObject({ jobId: job, key: 'out', lines: ['residual 1e-3'] });
      console.log(`line written -> event received: ${(event?.receivedAt ?? 0) - written} ms`);
      expect(watcher.events.every((e) => e.data['jobId'] === job)).toBe(true);
    } finally {
      watcher.close();
      await mirror.call('jobkill_1', 'do', { job_id: job });
    }
  });

  it('resumes after Last-Event-ID with the events held since', async () => {
    const held = mirror.hub.events.since(0);
    const from = held.at(-5)?.id ?? 0;
    const watcher = await watch(base, '/api/events', { 'last-event-id': String(from) });
    try {
      await until(
        () => Promise.resolve(watcher.events.length),
        (n) => n >= 4,
      );
      expect(watcher.events.slice(0, 4).map((e) => e.id)).toEqual(held.slice(-4).map((e) => e.id));
    } finally {
      watcher.close();
    }
  });

  it('refuses a malformed filter', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/events?job=abc' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: 'API_INVALID',
        message: 'query parameter job: expected a positive integer (decimal digits)',
      },
    });
  });
});
