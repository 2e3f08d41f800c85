import type { StepOutcome } from '../executor.js';

/** How the main process of a step ended, as Node reports it. */
export interface MainExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Why the executor itself stopped a step; fixed by the first stop() or timeout. */
export type StopReason = Extract<StepOutcome, { kind: 'killed' } | { kind: 'timeout' }>;

/**
 * The outcome of a step: the executor's own reason when it stopped the step before the
 * main process ended, else how the main process ended. Leftovers of the tree that had to
 * be stopped afterwards do not change it.
 */
export function decideOutcome(exit: MainExit, stopReason: StopReason | undefined): StepOutcome {
  if (stopReason !== undefined) return stopReason;
  if (exit.signal !== null) return { kind: 'signaled', signal: exit.signal };
  // Node reports one of the two; a missing code would mean an unknown end, never success.
  return { kind: 'exited', code: exit.code ?? -1 };
}
