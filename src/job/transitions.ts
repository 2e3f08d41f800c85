import type { JobState } from './states.js';

/**
 * The one transition table: for each state, the states a job may move to from it, and
 * the operation that moves it. Everything that changes a job's state asks here first;
 * the store applies a change only if the job is still in an allowed source state.
 *
 * - queued   → assigned (an agent claims it), killed (cancelled before it ran)
 * - assigned → built (dirbuild), queued (requeued: its agent was lost)
 * - built    → ready (filebuild), built (dirbuild force=1)
 * - ready    → running (run), built (dirbuild force=1), ready (filebuild again)
 * - assigned, built, ready → failed (an autorun phase failed: the reason says which),
 *              killed (cancelled before a step of it ran, or between steps)
 * - running  → ready (a step succeeded, others remain), finished (the last one did),
 *              failed (a step failed, autorun could not recover its results, or its
 *              agent restarted), killed (jobkill), lost
 * - finished, failed, killed → running (run a step again), ready (filebuild again),
 *              built (dirbuild force=1), queued (rerun)
 * - lost     → queued (rerun), failed (given up), running (its agent came back and
 *              still runs it: adopted)
 */
export const TRANSITIONS: Readonly<Record<JobState, readonly JobState[]>> = {
  queued: ['assigned', 'killed'],
  assigned: ['built', 'queued', 'failed', 'lost', 'killed'],
  built: ['ready', 'built', 'queued', 'failed', 'lost', 'killed'],
  ready: ['running', 'built', 'ready', 'queued', 'failed', 'lost', 'killed'],
  running: ['ready', 'finished', 'failed', 'killed', 'lost'],
  finished: ['running', 'ready', 'built', 'queued'],
  failed: ['running', 'ready', 'built', 'queued'],
  killed: ['running', 'ready', 'built', 'queued'],
  lost: ['queued', 'failed', 'running'],
};

/** True when a job in `from` may move to `to`. */
export function canTransition(from: JobState, to: JobState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Every state from which a job may move to `to`. */
export function statesLeadingTo(to: JobState): JobState[] {
  return (Object.keys(TRANSITIONS) as JobState[]).filter((from) => canTransition(from, to));
}

/** States of a job no step of which runs now: killing it cancels it, in the store alone. */
export const CANCELLABLE_STATES: readonly JobState[] = ['queued', 'assigned', 'built', 'ready'];

/** States in which a job's steps may be running or about to run on its agent. */
export const ACTIVE_STATES: readonly JobState[] = ['running'];

/** States a job ends in until someone acts on it again. */
export const SETTLED_STATES: readonly JobState[] = ['finished', 'failed', 'killed', 'lost'];
