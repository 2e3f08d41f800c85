import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OutputTail } from './output-tail.js';
import { outcomeOfReply } from './reply.js';
import type { HookCall, HookOutcome } from './types.js';

/** The child's module: plain JavaScript, so node runs it without a TypeScript loader. */
const CHILD_MODULE = fileURLToPath(new URL('./hook-child.mjs', import.meta.url));

/** After the child exits, how long to wait for its pipes to close (a grandchild may hold them). */
const CLOSE_GRACE_MS = 1000;

/** One forked hooks child, running one call at a time. */
export interface HookChild {
  /** False once the child has exited (or failed to start). */
  readonly alive: boolean;
  /** How many distinct hooks files it has been asked to import. */
  readonly moduleCount: number;
  /** Runs a call; the caller makes sure only one runs at a time. Never rejects. */
  call(call: HookCall): Promise<HookOutcome>;
  /** SIGKILLs its process group; resolves once it is gone. A call in flight ends `crashed` with `reason`. */
  kill(reason: string): Promise<void>;
}

interface InFlight {
  readonly id: number;
  readonly call: HookCall;
  readonly output: OutputTail;
  timedOut: boolean;
  settle(outcome: HookOutcome): void;
}

/** How a hooks child is started. */
export interface HookChildOptions {
  /** Bytes of output kept per call (the last ones). */
  readonly maxOutputBytes: number;
  /** Its own environment (the executor's agent token, so that it dies with the agent). Default none. */
  readonly env?: Readonly<Record<string, string>>;
  /** No one file may pass this size through it or what it starts (RLIMIT_FSIZE), bytes; none when absent. */
  readonly maxFileBytes?: number;
}

/**
 * Starts a hooks child: node on the child module, through `sh` only to set its file
 * size limit first (then `exec`: the same process, its IPC channel kept); its own process
 * group (so a kill takes whatever its hooks started along), no execArgv (no loader of the
 * agent's), only `env` in its environment (each call brings its own, the step's tags
 * included), stdout and stderr piped into the call's output.
 */
export function spawnHookChild(options: HookChildOptions): HookChild {
  const { maxOutputBytes } = options;
  const blocks =
    options.maxFileBytes === undefined ? 'unlimited' : String(Math.ceil(options.maxFileBytes / 512) + 1);
  const child: ChildProcess = spawn(
    '/bin/sh',
    ['-c', `ulimit -f ${blocks} || exit 125; exec "$0" "$@"`, process.execPath, CHILD_MODULE],
    {
      env: { ...options.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    },
  );
  const modules = new Set<string>();
  let nextId = 0;
  let current: InFlight | undefined;
  let exited = false;
  let gone = false;
  let fatal: string | undefined;
  let death: string | undefined;
  let killedBecause: string | undefined;
  let markGone!: () => void;
  const goneP = new Promise<void>((resolve) => (markGone = resolve));

  const onOutput = (chunk: Buffer): void => current?.output.push(chunk);
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  // A pipe's error (the child gone mid-write) is the child's end, seen by 'exit'; never the agent's.
  child.stdout?.on('error', () => {});
  child.stderr?.on('error', () => {});

  child.on('message', (message: unknown) => {
    if (!isRecord(message)) return;
    if (message['type'] === 'fatal' && typeof message['reason'] === 'string') fatal = message['reason'];
    if (message['type'] !== 'reply' || current === undefined || message['id'] !== current.id) return;
    if (current.timedOut) return; // killed already; it ends as a timeout
    const inFlight = current;
    // Let output already in the pipes (written before the reply) be read first.
    setImmediate(() => inFlight.settle(outcomeOfReply(message['outcome'], inFlight.call, inFlight.output)));
  });

  // The end: 'close' (pipes drained) after 'exit', or the grace after 'exit' when a
  // grandchild that left the process group holds a pipe open.
  const finish = (): void => {
    if (gone) return;
    gone = true;
    exited = true;
    const inFlight = current;
    if (inFlight !== undefined) {
      const output = inFlight.output.text();
      inFlight.settle(
        inFlight.timedOut
          ? { kind: 'timeout', afterMs: inFlight.call.timeoutMs, output }
          : { kind: 'crashed', reason: killedBecause ?? deathReason(), output },
      );
    }
    markGone();
  };
  child.on('exit', (code, signal) => {
    exited = true;
    death =
      signal !== null
        ? `the hooks process was killed by ${signal}`
        : `the hooks process exited with code ${code ?? 'unknown'}`;
    killGroup(child.pid); // whatever its hooks left running in its group
    setTimeout(finish, CLOSE_GRACE_MS).unref();
  });
  child.on('close', finish);
  child.on('error', (err) => {
    // Failing to start: no 'exit' follows. (A failed send to a dying child: 'exit' does.)
    if (child.pid === undefined) {
      death = `the hooks process could not start: ${err.message}`;
      finish();
    }
  });

  const deathReason = (): string =>
    fatal !== undefined ? `the hooks process died of an ${fatal}` : (death ?? 'the hooks process ended');
  const killNow = (reason: string): void => {
    killedBecause ??= reason;
    if (!exited) killGroup(child.pid);
  };

  return {
    get alive() {
      return !exited;
    },
    get moduleCount() {
      return modules.size;
    },
    call(call) {
      if (exited) return Promise.resolve(crashed(deathReason(), ''));
      modules.add(call.hooksFile);
      const id = ++nextId;
      return new Promise<HookOutcome>((resolve) => {
        const timer = setTimeout(() => {
          if (current?.id !== id) return;
          current.timedOut = true;
          killGroup(child.pid);
        }, call.timeoutMs);
        // Stopped from outside: gently first, then surely; the call ends with the reason given.
        let hardKill: ReturnType<typeof setTimeout> | undefined;
        const onAbort = () => {
          if (current?.id !== id) return;
          killedBecause ??= String(call.signal?.reason ?? 'the call was stopped');
          killGroup(child.pid, 'SIGTERM');
          hardKill = setTimeout(() => killGroup(child.pid), call.stopGraceMs ?? 0);
        };
        current = {
          id,
          call,
          output: new OutputTail(maxOutputBytes),
          timedOut: false,
          settle: (outcome) => {
            clearTimeout(timer);
            clearTimeout(hardKill);
            call.signal?.removeEventListener('abort', onAbort);
            if (current?.id === id) current = undefined;
            resolve(outcome);
          },
        };
        if (call.signal?.aborted === true) {
          current.settle(crashed(String(call.signal.reason ?? 'the call was stopped'), ''));
          return;
        }
        call.signal?.addEventListener('abort', onAbort, { once: true });
        const { hooksFile, name, ctx, cwd, env } = call;
        try {
          child.send({ type: 'call', id, hooksFile, name, ctx, cwd, env });
        } catch (err) {
          // Not serialisable: the call never left; the child is unharmed.
          current.settle(crashed(`the call could not be sent: ${(err as Error).message}`, ''));
        }
      });
    },
    kill(reason) {
      killNow(reason);
      return goneP;
    },
  };
}

function crashed(reason: string, output: string): HookOutcome {
  return { kind: 'crashed', reason, output };
}

/** Signals the process group led by `pid` (the child was forked detached: its own group), SIGKILL by default. */
function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is empty already.
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
