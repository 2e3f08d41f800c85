import { spawn, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Writable } from 'node:stream';
import { GUARD_SHELL, guardArgs, guardEnv } from './guard-script.js';

/** Longest wait in `close()` for the guard's last sweep, in ms; past it the guard finishes unwatched. */
export const GUARD_CLOSE_WAIT_MS = 5_000;

/**
 * Shortest time between the start of a guard and the start of the one replacing it, in
 * ms, when the guard is lost while steps run: keeps a guard that cannot live from being
 * respawned in a loop. A step start restarts a lost guard at once, whatever its age.
 */
export const GUARD_RESTART_MIN_MS = 1_000;

/** One guard process and the agent's end of its stdin. */
interface GuardProcess {
  readonly child: ChildProcess;
  readonly stdin: Writable;
  readonly startedAt: number;
  readonly exited: Promise<void>;
}

/**
 * The step guard of one local executor: a small `sh` process (see GUARD_SCRIPT) that
 * outlives the agent only to kill the agent's steps. Its stdin is a pipe from the agent;
 * when the agent dies, even by SIGKILL, the pipe closes and the guard kills every process
 * carrying the executor's token and every step process group still announced, then exits.
 *
 * Its life: none until the first `ensure()` (a step start); running; lost (it exited
 * while the executor was open: restarted while steps run, at once unless it died young,
 * and at the latest by the next `ensure()`; a new guard is told every live group); closed
 * (`close()` ended its stdin and waited for its last sweep; `ensure()` refuses from then on).
 * Neither the guard nor its pipe keeps the agent's event loop alive, except during `close()`.
 */
export class Guard {
  readonly #token: string;
  readonly #path: string;
  /** Live step process groups, with how many steps announced each (a pgid may be reused). */
  readonly #groups = new Map<number, number>();
  #current: GuardProcess | undefined;
  #closing: Promise<void> | undefined;

  /** `token`: the executor's token; `guardPath`: the PATH the guard finds grep and sleep on. */
  constructor(token: string, guardPath: string) {
    this.#token = token;
    this.#path = guardPath;
  }

  /**
   * Makes sure a guard runs: undefined when one does (started now if needed), else why
   * none can (after `close()`, or a failed spawn). Never throws; the reason never rejects.
   */
  ensure(): Promise<string> | undefined {
    if (this.#closing !== undefined) return Promise.resolve('the executor is closed');
    if (this.#current !== undefined) return undefined;
    return this.#spawn();
  }

  /** Tells the guard that a step's process group now lives. */
  watch(pgid: number): void {
    this.#groups.set(pgid, (this.#groups.get(pgid) ?? 0) + 1);
    this.#tell(`+${pgid}\n`);
  }

  /** Tells the guard that a step's tree is gone: its group id may now be reused by others. */
  release(pgid: number): void {
    const count = this.#groups.get(pgid) ?? 0;
    if (count === 0) return;
    if (count === 1) this.#groups.delete(pgid);
    else this.#groups.set(pgid, count - 1);
    this.#tell(`-${pgid}\n`);
  }

  /**
   * Ends the guard: closes its stdin, so it kills whatever still carries the token, and
   * waits for it to exit (up to GUARD_CLOSE_WAIT_MS). Idempotent; `ensure()` refuses after.
   */
  close(): Promise<void> {
    this.#closing ??= this.#end();
    return this.#closing;
  }

  async #end(): Promise<void> {
    const proc = this.#current;
    if (proc === undefined) return;
    // Awaited by the agent's stop: keep the event loop alive for the last sweep.
    proc.child.ref();
    proc.stdin.end();
    await Promise.race([proc.exited, sleep(GUARD_CLOSE_WAIT_MS, undefined, { ref: false })]);
    proc.child.unref();
  }

  /** Starts a guard process and tells it the live groups; a failure comes back as a reason. */
  #spawn(): Promise<string> | undefined {
    let child: ChildProcess;
    try {
      child = spawn(GUARD_SHELL, guardArgs(this.#token), {
        cwd: '/',
        env: guardEnv(this.#path),
        // Its own session and group: a signal to the agent's group (Ctrl-C) does not reach it.
        detached: true,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
    } catch (err) {
      return Promise.resolve(
        `cannot start the step guard: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    // Writes to a guard that died meanwhile fail with EPIPE; its 'exit' deals with that.
    child.stdin?.on('error', () => undefined);
    if (child.pid === undefined || child.stdin === null) {
      return new Promise((resolve) => {
        child.once('error', (err) => resolve(`cannot start the step guard: ${err.message}`));
      });
    }
    child.on('error', () => undefined);
    let exited!: () => void;
    const proc: GuardProcess = {
      child,
      stdin: child.stdin,
      startedAt: performance.now(),
      exited: new Promise<void>((resolve) => (exited = resolve)),
    };
    child.once('exit', () => {
      exited();
      this.#lost(proc);
    });
    child.unref();
    if (child.stdin instanceof Socket) child.stdin.unref();
    this.#current = proc;
    for (const [pgid, count] of this.#groups) for (let i = 0; i < count; i += 1) this.#tell(`+${pgid}\n`);
    return undefined;
  }

  /**
   * The guard exited: expected after close(); otherwise it is restarted while steps run
   * (a failure to restart is retried, and reported, by the next step start).
   */
  #lost(proc: GuardProcess): void {
    if (this.#current !== proc) return;
    this.#current = undefined;
    if (this.#closing !== undefined || this.#groups.size === 0) return;
    const wait = Math.max(0, GUARD_RESTART_MIN_MS - (performance.now() - proc.startedAt));
    setTimeout(() => {
      if (this.#groups.size > 0) void this.ensure();
    }, wait).unref();
  }

  #tell(line: string): void {
    this.#current?.stdin.write(line);
  }
}
