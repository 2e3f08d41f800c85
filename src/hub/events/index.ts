export {
  createEventLog,
  eventFrame,
  type EventLogLimits,
  type EventLog,
  type HeldFrame,
} from './event-log.js';
export { matches, type HubEvent, type HubEventBody, type EventFilter } from '../../job/index.js';
export { observeStore } from './observe-store.js';
