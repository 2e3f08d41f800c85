import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { mirrorError } from '../../../core/index.js';
import type { Executor, RunningStep, StepLaunch, StepOutcome } from '../executor.js';
import { LocalStep } from './local-step.js';
import { spawnStep } from './spawn-step.js';

/** Bytes of randomness in a step token (shown as twice as many hex digits). */
const TOKEN_BYTES = 16;

/**
 * The executor that runs steps as process trees on this host. Each step gets its own
 * process group and a fresh token in its environment, by which its whole tree is found
 * in /proc and stopped. Throws EXECUTOR_UNAVAILABLE when /proc cannot be read (not Linux).
 */
export function createLocalExecutor(): Executor {
  try {
    accessSync('/proc/self/environ', constants.R_OK);
  } catch (err) {
    throw mirrorError('EXECUTOR_UNAVAILABLE', { reason: `/proc cannot be read (${String(err)})` }, err);
  }
  return { start: startLocalStep };
}

/** Starts one step; a step that cannot start is returned already ended. */
function startLocalStep(launch: StepLaunch): RunningStep {
  const token = randomBytes(TOKEN_BYTES).toString('hex');
  const spawned = spawnStep(launch, token);
  if (spawned.started) return new LocalStep(spawned.child, spawned.pid, token, launch);
  const outcome = spawned.reason.then((reason): StepOutcome => ({ kind: 'failed-to-start', reason }));
  return { pid: 0, token, outcome, stop: () => outcome.then(() => undefined) };
}
