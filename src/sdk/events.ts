import type { HubEvent } from '../hub/events/index.js';
import { queryOf } from './query.js';
import { MirrorApiError } from './errors.js';

/** Reads `/api/events` as an async sequence of events, until `signal` aborts. */
export async function* readEvents(
  base: string,
  headers: Record<string, string>,
  filter: { job?: number; project?: number },
  signal?: AbortSignal,
): AsyncGenerator<HubEvent> {
  const query = queryOf(filter);
  let res: Response;
  try {
    res = await fetch(`${base}/api/events${query ? `?${query}` : ''}`, {
      headers,
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  }
  if (!res.ok || !res.body) throw new MirrorApiError(res.status, 'HTTP', `events: HTTP ${res.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = parseBlock(block);
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
