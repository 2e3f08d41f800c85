/**
 * Mirror's TypeScript SDK: a typed client of a hub's REST API, its `/proxy` seed verbs
 * and its event stream, for Node and for the browser (the dashboard uses it).
 */
export { createClient, type MirrorClient, type MirrorClientOptions, type UploadFile } from './client.js';
export type * from './types.js';
export { MirrorApiError } from './errors.js';
export type { HubEvent, JobState } from '../job/index.js';
export type { EventGap, StreamEvent } from './events.js';
