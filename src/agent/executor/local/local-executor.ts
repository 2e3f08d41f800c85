import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { mirrorError } from '../../../core/index.js';
import type { Executor, RunningStep, StepLaunch, StepOutcome } from '../executor.js';
import { STEP_TOKEN_VAR } from './find-tree.js';
import { Guard } from './guard.js';
import { AGENT_TOKEN_VAR, DEFAULT_GUARD_PATH, probeGuard } from './guard-script.js';
import { killTree } from './kill-tree.js';
import { LocalStep } from './local-step.js';
import { spawnStep } from './spawn-step.js';

/** Bytes of randomness in a step or agent token (shown as twice as many hex digits). */
const TOKEN_BYTES = 16;

/** How the local executor is built. */
export interface LocalExecutorOptions {
  /**
   * The PATH on which the step guard finds `grep` (GNU grep, for `-z`) and
   * `sleep`; the guard gets no other environment. Default DEFAULT_GUARD_PATH.
   */
  readonly guardPath?: string;
}

/**
 * The executor that runs steps as process trees on this host. Each step gets its own
 * process group and a fresh token in its environment, by which its whole tree is found
 * in /proc and stopped; every step also carries the executor's agent token, by which the
 * guard (started with the first step) kills them all should the agent die.
 * Throws EXECUTOR_UNAVAILABLE when /proc cannot be read (not Linux) or the guard cannot
 * scan it (no GNU grep on the guard's PATH).
 */
export function createLocalExecutor(options: LocalExecutorOptions = {}): Executor {
  try {
    accessSync('/proc/self/environ', constants.R_OK);
  } catch (err) {
    throw mirrorError('EXECUTOR_UNAVAILABLE', { reason: `/proc cannot be read (${String(err)})` }, err);
  }
  const guardPath = options.guardPath ?? DEFAULT_GUARD_PATH;
  probeGuard(guardPath, newToken());
  const agentToken = newToken();
  const guard = new Guard(agentToken, guardPath);
  return {
    kind: 'local',
    tag() {
      void guard.ensure(); // a hook that runs before the first step is guarded too
      const token = newToken();
      return { token, env: { [STEP_TOKEN_VAR]: token, [AGENT_TOKEN_VAR]: agentToken } };
    },
    collect: (token, graceMs) => killTree({ token }, graceMs),
    agentEnv: Object.freeze({ [AGENT_TOKEN_VAR]: agentToken }),
    start: (launch) => startLocalStep(launch, agentToken, guard),
    close: () => guard.close(),
  };
}

/**
 * Starts one step under the guard; a step that cannot start (also when no guard can
 * run: an unguarded step could outlive the agent) is returned already ended.
 */
function startLocalStep(launch: StepLaunch, agentToken: string, guard: Guard): RunningStep {
  const token = launch.token ?? newToken();
  const unguarded = guard.ensure();
  if (unguarded !== undefined) return notStarted(token, unguarded);
  const spawned = spawnStep(launch, { [STEP_TOKEN_VAR]: token, [AGENT_TOKEN_VAR]: agentToken });
  if (!spawned.started) return notStarted(token, spawned.reason);
  const { pid } = spawned;
  const step = new LocalStep(spawned.child, pid, token, launch);
  guard.watch(pid);
  // `outcome` never rejects, and resolves only once the tree (and so the group) is gone.
  void step.outcome.then(() => guard.release(pid));
  return step;
}

/** A step that never ran, ending as `failed-to-start` with `reason`. */
function notStarted(token: string, reason: Promise<string>): RunningStep {
  const outcome = reason.then((r): StepOutcome => ({ kind: 'failed-to-start', reason: r }));
  return { pid: 0, token, outcome, stop: () => outcome.then(() => undefined) };
}

function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('hex');
}
