export { JOB_STATES, isJobState, type JobState } from './states.js';
