import { appendFile } from 'node:fs/promises';
import { get, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
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

describe('/api/events, bounded whatever clients do', () => {
  let mirror: Embedded;
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    mirror = await openEmbedded({
      autorun: 'false',
      'limits.eventStreamBytes': String(64 * 1024),
      'limits.eventLogBytes': String(4 * 1024 * 1024),
      'limits.eventStreams': '2',
    });
    app = await createGateway(mirror.hub);
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  /** A client that asks for the stream and never reads a byte of it; answers when the hub closes it. */
  const stalled = () => {
    const { port } = new URL(base);
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    socket.pause();
    return { socket, closed: new Promise<void>((resolve) => socket.once('close', () => resolve())) };
  };

  it('drops a client that does not read once its unsent bytes pass the limit, and counts it no more', async () => {
    const client = stalled();
    await new Promise((r) => setTimeout(r, 300)); // its request has arrived
    const lines = Array.from({ length: 100 }, () => 'z'.repeat(1000));
    for (let i = 0; i < 400; i++)
      mirror.hub.events.publish({ type: 'line', jobId: 1, projectId: 1, key: 'log', lines });
    // Reading now, it finds the stream ended by the hub after what was sent before the drop.
    client.socket.resume();
    await client.closed;
    client.socket.destroy();
    // Its place is free again: two streams may be open.
    const one = await watch(base, '/api/events');
    const two = await watch(base, '/api/events');
    const third = await fetch(`${base}/api/events`);
    expect(third.status).toBe(503);
    expect(await third.json()).toEqual({
      error: {
        code: 'EVENT_STREAMS_FULL',
        message: 'the hub serves 2 event streams already (limits.eventStreams); try again later',
      },
    });
    one.close();
    two.close();
  });

  /** Publishes `count` line events of about `bytes` each; answers their ids. */
  const publishLines = (count: number, bytes: number) =>
    Array.from(
      { length: count },
      () =>
        mirror.hub.events.publish({
          type: 'line',
          jobId: 2,
          projectId: 1,
          key: 'log',
          lines: ['r'.repeat(bytes)],
        }).id,
    );

  it('resumes a backlog sixteen times the unsent limit whole, without dropping the client', async () => {
    const before = mirror.hub.events.held();
    const ids = publishLines(1000, 1000); // ~1 MB, sixteen times the unsent limit
    const watcher = await watch(base, '/api/events?job=2', { 'last-event-id': String((ids[0] ?? 1) - 1) });
    try {
      await until(
        () => Promise.resolve(watcher.events.length),
        (n) => n >= ids.length,
      );
      expect(watcher.events.map((e) => e.id)).toEqual(ids);
      expect(watcher.response.destroyed).toBe(false);
      expect(before.events).toBeLessThan(mirror.hub.events.held().events);
    } finally {
      watcher.close();
    }
  });

  it('tells a watcher resuming after events no longer held with a gap event, then sends what is held', async () => {
    const [first = 0] = publishLines(1, 10);
    publishLines(5000, 1000); // ~5 MB: the 4 MiB log lets the first go
    const { oldest } = mirror.hub.events.held();
    expect(oldest).toBeGreaterThan(first + 1);
    const watcher = await watch(base, '/api/events?job=2', { 'last-event-id': String(first) });
    try {
      await until(
        () => Promise.resolve(watcher.events.length),
        (n) => n >= 2,
      );
      expect(watcher.events[0]).toMatchObject({ event: 'gap', data: { after: first, oldest } });
      expect(watcher.events[1]?.id).toBe(oldest);
    } finally {
      watcher.close();
    }
  });

  it('tells a watcher resuming with an id of an earlier life of the hub, then sends every event held', async () => {
    const { oldest, events } = mirror.hub.events.held();
    const past = oldest + events + 1000;
    const watcher = await watch(base, '/api/events', { 'last-event-id': String(past) });
    try {
      await until(
        () => Promise.resolve(watcher.events.length),
        (n) => n >= 2,
      );
      expect(watcher.events[0]).toMatchObject({ event: 'gap', data: { after: past, oldest } });
      expect(watcher.events[1]?.id).toBe(oldest);
    } finally {
      watcher.close();
    }
  });
});
