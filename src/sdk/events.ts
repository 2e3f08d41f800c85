import type { HubEvent } from '../hub/events/index.js';
import { MirrorApiError } from './errors.js';
import { queryOf } from './query.js';

/**
 * Opens `/api/events` and answers once the hub has answered — from then on no event is
 * missed — with the events as an async sequence, until `signal` aborts.
 */
export async function openEvents(
  base: string,
  headers: Record<string, string>,
  filter: { job?: number; project?: number },
  signal?: AbortSignal,
): Promise<AsyncIterable<HubEvent>> {
  const query = queryOf(filter);
  const res = await fetch(`${base}/api/events${query ? `?${query}` : ''}`, {
    headers,
    ...(signal ? { signal } : {}),
  });
  if (!res.ok || !res.body) throw new MirrorApiError(res.status, 'HTTP', `events: HTTP ${res.status}`);
  return readEvents(res.body, signal);
}

async function* readEvents(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<HubEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const event = parseBlock(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event) yield event;
      }
    }
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  }
}

function parseBlock(block: string): HubEvent | undefined {
  let id = 0;
  let type = '';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('id: ')) id = Number(line.slice(4));
    else if (line.startsWith('event: ')) type = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  if (data === '') return undefined;
  return { ...(JSON.parse(data) as object), id, type } as HubEvent;
}
