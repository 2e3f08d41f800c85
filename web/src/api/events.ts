import type { HubEvent } from './hub.js';

type EventOf<T extends HubEvent['type']> = Extract<HubEvent, { type: T }>;

/** What a page does with the hub's events; each handler is optional. */
export interface EventHandlers {
  state?(event: EventOf<'state'>): void;
  progress?(event: EventOf<'progress'>): void;
  line?(event: EventOf<'line'>): void;
  /** Events were missed that the hub no longer holds (or it restarted): read afresh. */
  gap?(): void;
}

/** Which events to receive: one job's, one project's, or every one. */
export interface EventScope {
  readonly job?: number;
  readonly project?: number;
}

/** Whether the stream is connected; the page header shows it. */
export type StreamStatus = 'live' | 'connecting';

/**
 * Opens `/api/events` (an EventSource: it reconnects by itself and resumes with
 * Last-Event-ID) and hands each event to its handler. Answers the function that closes it.
 */
export function openEventStream(
  url: string,
  handlers: EventHandlers,
  onStatus: (status: StreamStatus) => void = () => {},
): () => void {
  const source = new EventSource(url);
  onStatus('connecting');
  source.addEventListener('open', () => onStatus('live'));
  source.addEventListener('error', () => onStatus('connecting'));
  const on = <T extends HubEvent['type']>(type: T, handle: ((event: EventOf<T>) => void) | undefined) => {
    if (handle === undefined) return;
    source.addEventListener(type, (message: MessageEvent<string>) => {
      const data = JSON.parse(message.data) as Omit<EventOf<T>, 'id' | 'type'>;
      handle({ ...data, id: Number(message.lastEventId), type } as EventOf<T>);
    });
  };
  on('state', handlers.state?.bind(handlers));
  on('progress', handlers.progress?.bind(handlers));
  on('line', handlers.line?.bind(handlers));
  const gap = handlers.gap?.bind(handlers);
  if (gap !== undefined) source.addEventListener('gap', () => gap());
  return () => source.close();
}
