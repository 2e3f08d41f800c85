import { matches, type EventFilter, type HubEvent, type HubEventBody } from '../../job/index.js';

export interface EventLog {
  publish(event: HubEventBody): HubEvent;
  /** Events after `id` still held, matching the filter, oldest first. */
  since(id: number, filter?: EventFilter): HubEvent[];
  /** The same as streams send them (`eventFrame`), without making the events again. */
  framesSince(id: number, filter?: EventFilter): HeldFrame[];
  /** Calls `listener` with every event published from now on; returns the unsubscribe. */
  subscribe(listener: (event: HubEvent) => void): () => void;
  /** How many events and bytes are held now, and the id of the oldest (the next one's when none). */
  held(): { readonly events: number; readonly bytes: number; readonly oldest: number };
}

/** A held event: what filters look at, and its frame. */
export interface HeldFrame {
  readonly id: number;
  readonly jobId: number;
  readonly projectId: number;
  readonly frame: Buffer;
}

/**
 * An event as event streams send it (`id:`, `event:`, `data:` with its JSON), encoded
 * once: every stream writes the same bytes, so a slow reader holds no copy of its own.
 */
export function eventFrame(event: HubEvent): Buffer {
  const cached = frameOf.get(event);
  if (cached !== undefined) return cached;
  const { id, type, ...data } = event;
  const frame = Buffer.from(`id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  frameOf.set(event, frame);
  return frame;
}
const frameOf = new WeakMap<HubEvent, Buffer>();

export interface EventLogLimits {
  /** The most events held for resuming watchers. Default 10,000. */
  readonly events?: number;
  /** The most bytes (of their data as streams send it) held. Default 64 MiB. */
  readonly bytes?: number;
}

/**
 * An in-memory event log holding the newest events for resuming watchers, as many as
 * both limits allow (by count and by bytes: one job logging fast cannot make it hold
 * more than `bytes`). The oldest go first; a watcher that asks for events no longer
 * held gets what is.
 */
export function createEventLog(limits: EventLogLimits = {}): EventLog {
  const maxEvents = limits.events ?? 10_000;
  const maxBytes = limits.bytes ?? 64 * 1024 * 1024;
  // Only frames are held (an event's lines as JS strings would weigh twice their bytes
  // again). A queue with a moving head: trimming never moves the held frames, except a
  // compaction once the dropped ones make up half of the array. A dropped slot is emptied
  // at once: a frame no longer held must not stay reachable until the compaction.
  let held: (HeldFrame | undefined)[] = [];
  let head = 0;
  let bytes = 0;
  const listeners = new Set<(event: HubEvent) => void>();
  let lastId = 0;
  const framesSince = (id: number, filter?: EventFilter): HeldFrame[] => {
    // Ids ascend: the first one after `id` is found by halving.
    let lo = head;
    let hi = held.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((held[mid]?.id ?? 0) <= id) lo = mid + 1;
      else hi = mid;
    }
    const found: HeldFrame[] = [];
    for (let i = lo; i < held.length; i++) {
      const entry = held[i];
      if (entry !== undefined && entry.id > id && matches(entry, filter)) found.push(entry);
    }
    return found;
  };
  return {
    publish(body) {
      const event: HubEvent = { ...body, id: ++lastId, at: Date.now() };
      const frame = eventFrame(event);
      held.push({ id: event.id, jobId: event.jobId, projectId: event.projectId, frame });
      bytes += frame.length;
      while (held.length - head > 1 && (held.length - head > maxEvents || bytes > maxBytes)) {
        bytes -= held[head]?.frame.length ?? 0;
        held[head] = undefined;
        head++;
      }
      if (head > 1024 && head * 2 > held.length) {
        held = held.slice(head);
        head = 0;
      }
      for (const listener of listeners) listener(event);
      return event;
    },
    framesSince,
    since: (id, filter) => framesSince(id, filter).map(eventOfFrame),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    held: () => ({ events: held.length - head, bytes, oldest: held[head]?.id ?? lastId + 1 }),
  };
}

/** The event a frame was made of. */
function eventOfFrame({ frame }: HeldFrame): HubEvent {
  const [idLine = '', typeLine = '', dataLine = ''] = frame.toString('utf8').split('\n');
  const data = JSON.parse(dataLine.slice('data: '.length)) as Omit<HubEvent, 'id' | 'type'>;
  return {
    ...data,
    id: Number(idLine.slice('id: '.length)),
    type: typeLine.slice('event: '.length),
  } as HubEvent;
}
