import type { HubEvent } from '../job/index.js';
import { MirrorApiError } from './errors.js';
import type { HubHttp } from './http.js';
import { withQuery } from './query.js';

/**
 * Told in the stream when events were missed that the hub no longer holds (after `after`;
 * the oldest it holds is `oldest`), or when it restarted: what a watcher shows should be
 * read afresh.
 */
export interface EventGap {
  readonly type: 'gap';
  readonly after: number;
  readonly oldest: number;
}

export type StreamEvent = HubEvent | EventGap;

/** Reconnections in a row that may fail before the sequence throws; waits between grow from 0.25 s. */
const RETRIES = 6;

/**
 * Opens `/api/events` and answers once the hub has answered — from then on no event is
 * missed — with the events as an async sequence, until `signal` aborts. When the hub
 * drops the stream (a client too slow to read, a hub restarting) it resumes from the
 * last event seen with Last-Event-ID, as a browser's EventSource does, and a `gap` says
 * when events were lost on the way.
 */
export async function openEvents(
  http: HubHttp,
  filter: { job?: number; project?: number },
  signal?: AbortSignal,
): Promise<AsyncIterable<StreamEvent>> {
  const path = withQuery('/api/events', filter);
  const connect = async (lastId: number | undefined) => {
    const res = await http.request('GET', path, undefined, {
      headers: lastId === undefined ? {} : { 'last-event-id': String(lastId) },
      ...(signal ? { signal } : {}),
    });
    if (!res.body) throw new MirrorApiError(res.status, 'HTTP', `events: HTTP ${res.status} without a body`);
    return res.body;
  };
  return resuming(await connect(undefined), connect, signal);
}

async function* resuming(
  first: ReadableStream<Uint8Array>,
  connect: (lastId: number | undefined) => Promise<ReadableStream<Uint8Array>>,
  signal?: AbortSignal,
): AsyncGenerator<StreamEvent> {
  let lastId: number | undefined;
  let body: ReadableStream<Uint8Array> | undefined = first;
  let failures = 0;
  for (;;) {
    if (body !== undefined) {
      try {
        for await (const event of readEvents(body)) {
          if (event.type !== 'gap') lastId = event.id;
          failures = 0;
          yield event;
        }
      } catch (err) {
        if (signal?.aborted) return;
        if (++failures > RETRIES) throw err;
      }
    }
    if (signal?.aborted) return;
    await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** Math.min(failures, RETRIES)));
    try {
      body = await connect(lastId);
    } catch (err) {
      if (signal?.aborted) return;
      if (++failures > RETRIES) throw err;
      body = undefined;
    }
  }
}

/**
 * The events of one response body. Read through a reader, not `for await` over the
 * stream, which not every browser offers; a reader left early (the caller stopped
 * iterating) cancels the body, which ends the request.
 */
async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const event = parseBlock(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event) yield event;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

function parseBlock(block: string): StreamEvent | undefined {
  let id = 0;
  let type = '';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('id: ')) id = Number(line.slice(4));
    else if (line.startsWith('event: ')) type = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  if (data === '') return undefined;
  if (type === 'gap') return { ...(JSON.parse(data) as { after: number; oldest: number }), type };
  return { ...(JSON.parse(data) as object), id, type } as HubEvent;
}
