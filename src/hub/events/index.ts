export {
  createEventLog,
  matches,
  type EventLog,
  type HubEvent,
  type HubEventBody,
  type EventFilter,
} from './event-log.js';
export { observeStore } from './observe-store.js';
