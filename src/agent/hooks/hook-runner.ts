import { spawnHookChild, type HookChild } from './hook-child-process.js';
import { DEFAULT_HOOK_OUTPUT_BYTES } from './output-tail.js';
import type { HookCall, HookOutcome, HookRunner } from './types.js';

/** Distinct hooks files a hooks child imports before it is replaced, by default: 100. */
export const DEFAULT_MAX_MODULES_PER_CHILD = 100;

export interface HookRunnerOptions {
  /**
   * A hooks child that has imported this many distinct hooks files is replaced after
   * its call: node never frees an imported module, and each job has its own copy of
   * its package. Default 100.
   */
  readonly maxModulesPerChild?: number;
  /** Bytes of output kept per call (the last ones). Default 64 KiB. */
  readonly maxOutputBytes?: number;
  /** The hooks child's own environment (the executor's `agentEnv`). Default none. */
  readonly env?: Readonly<Record<string, string>>;
  /** No one file a hook writes may pass this size (the job output limit), bytes; none when absent. */
  readonly maxFileBytes?: number;
}

/**
 * A hook runner: one long-lived hooks child (starting node costs ~60 ms a call),
 * forked on the first call and again after one dies, times out or is retired. Calls
 * are queued and run one at a time (each changes the child's working directory and
 * environment). Hooks of different jobs share the child: package authors are trusted
 * to run code, and module-level state is theirs to keep or not.
 */
export function createHookRunner(options: HookRunnerOptions = {}): HookRunner {
  const maxModules = options.maxModulesPerChild ?? DEFAULT_MAX_MODULES_PER_CHILD;
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_HOOK_OUTPUT_BYTES;
  let child: HookChild | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let closing: Promise<void> | undefined;

  const runOne = async (call: HookCall): Promise<HookOutcome> => {
    if (closing !== undefined) return { kind: 'crashed', reason: 'the hook runner is closed', output: '' };
    try {
      if (child === undefined || !child.alive) {
        child = spawnHookChild({
          maxOutputBytes,
          ...(options.env ? { env: options.env } : {}),
          ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
        });
      }
    } catch (err) {
      return { kind: 'crashed', reason: `the hooks process could not start: ${String(err)}`, output: '' };
    }
    const running = child;
    const outcome = await running.call(call);
    if (running.alive && running.moduleCount >= maxModules) {
      child = undefined;
      await running.kill('the hooks process was retired');
    }
    return outcome;
  };

  return {
    run(call) {
      const outcome = queue.then(() => runOne(call));
      queue = outcome;
      return outcome;
    },
    close() {
      closing ??= (async () => {
        // The call in flight ends now; the queued ones find the runner closed.
        await child?.kill('the hook runner was closed');
        await queue;
        await child?.kill('the hook runner was closed');
      })();
      return closing;
    },
  };
}
