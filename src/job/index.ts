export { JOB_STATES, isJobState, type JobState } from './states.js';
export {
  MOVES,
  READS,
  TRANSITIONS,
  type Move,
  canTransition,
  statesLeadingTo,
  ACTIVE_STATES,
  CANCELLABLE_STATES,
  SETTLED_STATES,
} from './transitions.js';
export { matches, type EventFilter, type HubEvent, type HubEventBody } from './events.js';
