// The hub as the dashboard sees it: the SDK's client on the page's own origin with the
// tab's token, and the event stream through the browser's EventSource.
import { createClient, type MirrorClient } from '../../../src/sdk/index.js';
import { openEventStream, type EventHandlers, type EventScope, type StreamStatus } from './events.js';

export type * from '../../../src/sdk/index.js';
export { MirrorApiError } from '../../../src/sdk/index.js';

export interface HubApi extends MirrorClient {
  /** Live events of a scope until the answered function is called. */
  watch(scope: EventScope, handlers: EventHandlers): () => void;
}

/** The client of the page's hub, authenticated with `token` ('' for none). */
export function createHubApi(token: string, onStreamStatus?: (status: StreamStatus) => void): HubApi {
  const client = createClient({ baseUrl: '', token });
  return {
    ...client,
    watch: (scope, handlers) => openEventStream(client.eventsLink(scope), handlers, onStreamStatus),
  };
}
