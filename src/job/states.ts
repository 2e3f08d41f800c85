/**
 * Glossary of a job's life (DESIGN.md, "States"):
 *
 * - queued:   dispatched, waiting in the queue for a resource machine to claim it.
 * - assigned: claimed by a resource machine's agent; its rid is set.
 * - built:    its run directory is made (dirbuild).
 * - ready:    its input files are built (filebuild); no step is running.
 * - running:  one of its steps is running.
 * - finished: every step succeeded.
 * - failed:   a step failed; the reason is recorded.
 * - killed:   stopped on request (jobkill); nothing recovered.
 * - lost:     its agent went silent (scaled out only).
 */
export const JOB_STATES = [
  'queued',
  'assigned',
  'built',
  'ready',
  'running',
  'finished',
  'failed',
  'killed',
  'lost',
] as const;

export type JobState = (typeof JOB_STATES)[number];

export function isJobState(value: string): value is JobState {
  return (JOB_STATES as readonly string[]).includes(value);
}
