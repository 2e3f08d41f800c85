import type { FastifyInstance } from 'fastify';
import { mirrorError } from '../../core/index.js';
import { SECURITY_HEADERS } from './guards/index.js';
import { matches, type EventFilter, type EventLog, type HubEvent } from '../events/index.js';

const HEARTBEAT_MS = 15_000;

/**
 * `GET /api/events`: the event log as Server-Sent Events (`state`, `progress`, `line`),
 * filtered by `job` and `project`. A watcher that sends `Last-Event-ID` (or
 * `lastEventId=`) first gets the held events it missed, then the live ones.
 */
export function registerEvents(app: FastifyInstance, events: EventLog): void {
  app.get<{ Querystring: Record<string, unknown> }>('/api/events', (req, reply) => {
    const filter = eventFilter(req.query);
    const resumeFrom = lastEventId(req.headers['last-event-id'], req.query['lastEventId']);
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    out.write(': mirror events\n\n');
    const send = (event: HubEvent) => {
      const { id, type, ...data } = event;
      out.write(`id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    // Replaying and subscribing happen in one synchronous run: no event can slip between.
    if (resumeFrom !== undefined) for (const event of events.since(resumeFrom, filter)) send(event);
    const unsubscribe = events.subscribe((event) => {
      if (matches(event, filter)) send(event);
    });
    const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
    };
    req.raw.on('close', close);
    out.on('close', close);
  });
}

function eventFilter(query: Record<string, unknown>): EventFilter {
  const id = (name: string): number | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !/^[1-9]\d{0,9}$/.test(value)) {
      throw mirrorError('API_INVALID', {
        where: 'query parameter',
        field: name,
        reason: 'expected a positive integer (decimal digits)',
      });
    }
    return Number(value);
  };
  for (const name of Object.keys(query)) {
    if (!['job', 'project', 'lastEventId', 'token'].includes(name)) {
      throw mirrorError('API_INVALID', {
        where: 'query parameter',
        field: '(all)',
        reason: `unknown ${name}`,
      });
    }
  }
  const jobId = id('job');
  const projectId = id('project');
  return { ...(jobId !== undefined ? { jobId } : {}), ...(projectId !== undefined ? { projectId } : {}) };
}

function lastEventId(header: unknown, query: unknown): number | undefined {
  const value = typeof header === 'string' ? header : typeof query === 'string' ? query : undefined;
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}
