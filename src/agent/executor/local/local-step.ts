import type { ChildProcess } from 'node:child_process';
import type { RunningStep, StepLaunch, StepOutcome } from '../executor.js';
import { processStartTime } from './find-tree.js';
import { killTree, type KillTarget } from './kill-tree.js';
import { decideOutcome, type MainExit, type StopReason } from './outcome.js';

/** The longest delay one Node timer can hold, in ms (longer ones would fire at once). */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * A started step on this host. Its life:
 * - running: the main process runs; `stop()` or the timeout fixes the outcome
 *   (`killed` / `timeout`) and starts the kill sequence over the tree;
 * - main ended: the outcome is fixed by how the main process ended, unless a stop came
 *   first; from here `stop()` and the timeout change nothing;
 * - ended: the tree is gone (leftovers of a natural end are stopped like a killed tree)
 *   and `outcome` resolves, once.
 * The kill sequence runs at most once per step, whoever asks for it first.
 */
export class LocalStep implements RunningStep {
  readonly pid: number;
  readonly token: string;
  readonly outcome: Promise<StepOutcome>;
  readonly #target: KillTarget & { readonly pgid: number };
  #graceMs: number;
  #mainEnded = false;
  #stopReason: StopReason | undefined;
  #collecting: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(child: ChildProcess, pid: number, token: string, launch: StepLaunch) {
    this.pid = pid;
    this.token = token;
    const startedAt = processStartTime(pid);
    this.#target = { token, pgid: pid, ...(startedAt !== undefined ? { startedAt } : {}) };
    this.#graceMs = launch.killGraceMs;
    const mainExit = new Promise<MainExit>((resolve) => {
      child.once('exit', (code, signal) => {
        // Set synchronously, so no stop() or timer can slip in between exit and outcome.
        this.#mainEnded = true;
        clearTimeout(this.#timer);
        resolve({ code, signal });
      });
    });
    const { timeoutMs } = launch;
    if (timeoutMs !== undefined) this.#armTimeout(timeoutMs, timeoutMs);
    this.outcome = this.#finish(mainExit);
  }

  stop(options: { graceMs?: number } = {}): Promise<void> {
    if (options.graceMs !== undefined && this.#collecting === undefined) this.#graceMs = options.graceMs;
    this.#requestStop({ kind: 'killed' });
    return this.outcome.then(() => undefined);
  }

  /** Waits for the main process, fixes the outcome, then waits until the tree is gone. */
  async #finish(mainExit: Promise<MainExit>): Promise<StepOutcome> {
    const exit = await mainExit;
    const outcome = decideOutcome(exit, this.#stopReason);
    await this.#collectTree();
    return outcome;
  }

  /** The one kill sequence of this step: started by a stop, a timeout or the main's end. */
  #collectTree(): Promise<void> {
    // A stop without grace (the output limit) kills the group at once, before the tree is
    // even looked for: a writer at disk speed writes on while /proc is scanned. The main
    // process is not reaped yet, so the group id is still this step's.
    if (this.#collecting === undefined && this.#graceMs === 0 && !this.#mainEnded) {
      try {
        process.kill(-this.#target.pgid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    }
    this.#collecting ??= killTree(this.#target, this.#graceMs).catch(() => {
      // /proc could not be listed: the group is all that can still be reached.
      try {
        process.kill(-this.#target.pgid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    });
    return this.#collecting;
  }

  /** Fixes a stop reason and stops the tree, unless the main process ended or a stop came first. */
  #requestStop(reason: StopReason): void {
    if (this.#mainEnded || this.#stopReason !== undefined) return;
    this.#stopReason = reason;
    clearTimeout(this.#timer);
    void this.#collectTree();
  }

  /** Arms the timeout in steps a Node timer can hold. */
  #armTimeout(remainingMs: number, afterMs: number): void {
    const wait = Math.max(0, Math.min(remainingMs, MAX_TIMER_MS));
    this.#timer = setTimeout(() => {
      if (remainingMs > wait) this.#armTimeout(remainingMs - wait, afterMs);
      else this.#requestStop({ kind: 'timeout', afterMs });
    }, wait);
  }
}
