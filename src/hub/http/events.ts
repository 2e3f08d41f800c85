import type { FastifyInstance } from 'fastify';
import { mirrorError } from '../../core/index.js';
import { SECURITY_HEADERS } from './guards/index.js';
import { eventFrame, matches, type EventFilter, type EventLog, type HubEvent } from '../events/index.js';

const HEARTBEAT_MS = 15_000;

export interface EventStreamLimits {
  /** Unsent bytes a stream may hold before its client is dropped (`limits.eventStreamBytes`). */
  readonly unsentBytes: number;
  /** Streams open at once (`limits.eventStreams`). */
  readonly streams: number;
}

/**
 * `GET /api/events`: the event log as Server-Sent Events (`state`, `progress`, `line`),
 * filtered by `job` and `project`. A watcher that sends `Last-Event-ID` (or
 * `lastEventId=`) first gets the held events it missed (and a `gap` event if some of
 * them are no longer held), then the live ones. Bounded
 * whatever clients do: a client that reads too slowly to keep its unsent bytes under the
 * limit is dropped (it resumes with Last-Event-ID, from what is still held), and streams
 * past the limit of open ones are refused (503).
 */
export function registerEvents(app: FastifyInstance, events: EventLog, limits: EventStreamLimits): void {
  let open = 0;
  // A hub that closes ends its streams (watchers resume from another hub, or when it is back):
  // an open stream would hold the server's close forever.
  const streams = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const end of streams) end();
    done();
  });
  app.get<{ Querystring: Record<string, unknown> }>('/api/events', (req, reply) => {
    const filter = eventFilter(req.query);
    const resumeFrom = lastEventId(req.headers['last-event-id'], req.query['lastEventId']);
    if (open >= limits.streams) throw mirrorError('EVENT_STREAMS_FULL', { streams: limits.streams });
    open++;
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
    let closed = false;
    let unsubscribe = () => {};
    const heartbeat = setInterval(() => {
      if (!closed) out.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    const close = () => {
      if (closed) return;
      closed = true;
      open--;
      streams.delete(end);
      clearInterval(heartbeat);
      unsubscribe();
    };
    const end = () => {
      close();
      out.end();
    };
    streams.add(end);
    const send = (event: HubEvent): void => {
      if (closed) return;
      out.write(eventFrame(event));
      // What the client has not taken stays in this process: past the limit it goes.
      if (out.writableLength > limits.unsentBytes) {
        close();
        out.destroy();
      }
    };
    out.on('error', () => {}); // a client gone mid-write: the stream just closes
    req.raw.on('close', close);
    out.on('close', close);
    void replay(resumeFrom).then(
      () => {
        if (closed) return;
        unsubscribe = events.subscribe((event) => {
          if (matches(event, filter)) send(event);
        });
      },
      () => out.destroy(),
    );

    /**
     * Sends the held events after `resumeFrom` at the pace the client reads them (a backlog
     * of the whole log would pass the unsent limit at once), until none is left; the caller
     * then subscribes in the same synchronous run, so no event can slip between.
     */
    async function replay(resumeFrom: number | undefined): Promise<void> {
      if (resumeFrom === undefined) return;
      // An id of an earlier life of the hub (ids start again at 1 when it restarts) counts as 0.
      let last = resumeFrom;
      if (resumeFrom > newestHeld()) {
        out.write(gapFrame(resumeFrom, events.held().oldest));
        last = events.held().oldest - 1;
      }
      for (;;) {
        // Events it missed that are no longer held: it is told, to read afresh what it shows.
        const { oldest } = events.held();
        if (last + 1 < oldest) {
          out.write(gapFrame(last, oldest));
          last = oldest - 1;
        }
        const missed = events.framesSince(last, filter);
        if (missed.length === 0 || closed) return;
        for (const { id, frame } of missed) {
          out.write(frame);
          last = id;
          if (out.writableLength > limits.unsentBytes / 2) break;
        }
        if (out.writableLength > limits.unsentBytes / 2) await drained();
      }
    }
    function newestHeld(): number {
      const { oldest, events: count } = events.held();
      return oldest + count - 1;
    }
    function drained(): Promise<void> {
      return new Promise((resolve) => {
        const done = () => {
          out.off('drain', done);
          out.off('close', done);
          resolve();
        };
        out.on('drain', done);
        out.on('close', done);
      });
    }
  });
}

/**
 * A `gap` event: a watcher resuming after event `after` missed events that are no longer
 * held (the oldest held is `oldest`). It has no id: Last-Event-ID stays where it was.
 */
function gapFrame(after: number, oldest: number): string {
  return `event: gap\ndata: ${JSON.stringify({ after, oldest })}\n\n`;
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
