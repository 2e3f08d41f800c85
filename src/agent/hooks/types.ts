import type { Params } from '../../calc-package/index.js';

/**
 * Glossary: a **hook** is a pre/post method, an exported (async) function of a calc
 * package's `hooks.mjs` named by a step's `premethod` / `postmethod`; the **hooks
 * child** is the node process that runs hooks for a hook runner, one call at a time.
 */

/** What a hook is called with: `fn(ctx)`. Paths are absolute. */
export interface HookContext {
  readonly jobId: number;
  readonly projectId: number;
  readonly packageId: number;
  readonly rid: number;
  readonly step: { readonly id: string; readonly workpath: string };
  readonly params: Params;
  readonly runDir: string;
  readonly stepDir: string;
}

/** One call of a hook. */
export interface HookCall {
  /** Absolute path of the package's `hooks.mjs` (imported once per hooks child). */
  readonly hooksFile: string;
  /** The exported function to call. */
  readonly name: string;
  readonly ctx: HookContext;
  /** The working directory during the call: the step's workpath, absolute. */
  readonly cwd: string;
  /** Milliseconds the call (import included) may take; then the hooks child is killed. */
  readonly timeoutMs: number;
  /** The whole environment during the call: nothing of the agent's own is inherited. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Stops the call when aborted (the agent stopping, the job's output limit reached): the
   * hooks child and what it started get SIGTERM, then SIGKILL after `stopGraceMs`; the
   * call ends `crashed` with the abort's reason.
   */
  readonly signal?: AbortSignal;
  /** Milliseconds between SIGTERM and SIGKILL when the call is stopped; default 0. */
  readonly stopGraceMs?: number;
}

/**
 * How a hook call ended; never an exception. `output` is what the hooks child wrote to
 * stdout and stderr during the call (its last 64 KiB by default; output of programs
 * the hook started, written just before the call ended, may be missing).
 *
 * - `returned`: the items it returned, string-valued (numbers converted), keys
 *   identifiers other than `currentstep` / `allstep`; empty when it returned nothing;
 * - `threw`: the step fails with `message`: the hook's own error message, or a HOOK_*
 *   catalog message (hooks file not loadable, no such export, invalid return value,
 *   working directory missing);
 * - `timeout`: it ran past `afterMs` (the call's timeout) and the hooks child was killed;
 * - `crashed`: the hooks child died during the call (`process.exit`, an uncaught error,
 *   a signal) or the runner was closed; `reason` says which.
 */
export type HookOutcome =
  | {
      readonly kind: 'returned';
      readonly process: Record<string, string>;
      readonly result: Record<string, string>;
      readonly output: string;
    }
  | { readonly kind: 'threw'; readonly message: string; readonly output: string }
  | { readonly kind: 'timeout'; readonly afterMs: number; readonly output: string }
  | { readonly kind: 'crashed'; readonly reason: string; readonly output: string };

/** Runs hooks in one long-lived child process, one call at a time. */
export interface HookRunner {
  /** Queues a call behind any running one; never rejects. */
  run(call: HookCall): Promise<HookOutcome>;
  /**
   * Kills the hooks child (and whatever it started in its process group) and waits for
   * it to be gone; a call in flight or queued ends `crashed`. Idempotent.
   */
  close(): Promise<void>;
}
