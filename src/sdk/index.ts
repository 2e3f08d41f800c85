/**
 * Mirror's TypeScript SDK: a typed client of a hub's REST API, its `/proxy` seed verbs
 * and its event stream.
 */
export { createClient, type MirrorClient, type MirrorClientOptions } from './client.js';
export type {
  CalcPackage,
  Dispatch,
  DispatchPreview,
  SweepResults,
  Job,
  JobData,
  JobDetail,
  JobEvent,
  JobFilter,
  JobStep,
  Project,
  ProjectFile,
} from './client.js';
export { MirrorApiError } from './errors.js';
export type { HubEvent } from '../job/index.js';
export type { EventGap, StreamEvent } from './events.js';
