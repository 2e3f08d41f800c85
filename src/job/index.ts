export { JOB_STATES, isJobState, type JobState } from './states.js';
export {
  TRANSITIONS,
  canTransition,
  statesLeadingTo,
  ACTIVE_STATES,
  CANCELLABLE_STATES,
  SETTLED_STATES,
} from './transitions.js';
export { matches, type EventFilter, type HubEvent, type HubEventBody } from './events.js';
