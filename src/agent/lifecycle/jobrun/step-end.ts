import type { StepOutcome } from '../../executor/executor.js';
import type { HookOutcome } from '../../hooks/index.js';

/** How one run of a step ended, as its record stores it. */
export interface StepEnd {
  readonly status: 'succeeded' | 'failed' | 'killed';
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Why it failed or was killed, for people: `exit code 3`, `timeout after 600 s`. */
  readonly reason: string | null;
}

/** The step's end for its program's outcome. */
export function endOfProgram(outcome: StepOutcome): StepEnd {
  switch (outcome.kind) {
    case 'exited':
      return outcome.code === 0
        ? { status: 'succeeded', exitCode: 0, signal: null, reason: null }
        : { status: 'failed', exitCode: outcome.code, signal: null, reason: `exit code ${outcome.code}` };
    case 'signaled':
      return {
        status: 'failed',
        exitCode: null,
        signal: outcome.signal,
        reason: `ended by signal ${outcome.signal}`,
      };
    case 'timeout':
      return {
        status: 'failed',
        exitCode: null,
        signal: null,
        reason: `timeout after ${seconds(outcome.afterMs)}`,
      };
    case 'killed':
      return { status: 'killed', exitCode: null, signal: null, reason: 'killed' };
    case 'failed-to-start':
      return { status: 'failed', exitCode: null, signal: null, reason: `could not start: ${outcome.reason}` };
    case 'ended-by-scheduler':
      return { status: 'failed', exitCode: null, signal: null, reason: outcome.reason };
    case 'detached':
      // Not written: the chain of a detached run ends without a word (see ActiveRun.detached).
      return { status: 'killed', exitCode: null, signal: null, reason: 'left running without its agent' };
  }
}

/** The step's end when a pre/post method did not return, or undefined when it did. */
export function endOfHook(
  which: 'premethod' | 'postmethod',
  name: string,
  outcome: HookOutcome,
): StepEnd | undefined {
  const fail = (reason: string): StepEnd => ({ status: 'failed', exitCode: null, signal: null, reason });
  switch (outcome.kind) {
    case 'returned':
      return undefined;
    case 'threw':
      return fail(`${which} ${name} failed: ${outcome.message}`);
    case 'timeout':
      return fail(`${which} ${name} timed out after ${seconds(outcome.afterMs)}`);
    case 'crashed':
      return fail(`${which} ${name} crashed: ${outcome.reason}`);
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
