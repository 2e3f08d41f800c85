import type { AgentContext } from '../context.js';
import { treeSize } from '../run-dir/tree-size.js';
import type { StepEnd } from './step-end.js';

/** Shortest and longest pause between two measures of the run directory, ms. */
const CHECK_MIN_MS = 25;
const CHECK_MAX_MS = 1000;
/** A measure may take this share of the time at most: the pause is this many times its length. */
const PAUSE_PER_MEASURE = 5;

/** A step's watch on its job's output limit, from its pre-method to its post-method. */
export interface OutputWatch {
  /** The bytes the step's program may still write into any one file (its RLIMIT_FSIZE); undefined for no limit. */
  budget(): Promise<number | undefined>;
  /** True once the limit is reached (everything of the step was then told to stop). */
  readonly reached: boolean;
  /** The step's end when the limit was reached, measured once more now; else undefined. Stops watching. */
  stop(): Promise<StepEnd | undefined>;
}

/**
 * Watches the run directory's size while a step runs, hooks included: at
 * `limits.jobOutputBytes` it calls `onReached` (which stops the program and the hook in
 * progress) once. Measures as often as every 25 ms, less often for a run directory
 * that is long to walk (at most a fifth of the time is spent measuring). The program is
 * also bounded by the kernel: no one file may grow past what the job has left
 * (`budget`), so a writer at disk speed stops at the limit, not a check later.
 */
export function watchOutput(ctx: AgentContext, runDir: string, onReached: () => Promise<void>): OutputWatch {
  const limit = ctx.config.limits.jobOutputBytes;
  let reached = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let measuring: Promise<void> = Promise.resolve();

  const measure = async (): Promise<number> => {
    const size = await treeSize(runDir, limit);
    if (size >= limit && !reached) {
      reached = true;
      await onReached().catch(() => undefined);
    }
    return size;
  };
  const schedule = (pauseMs: number) => {
    if (stopped || reached) return;
    timer = setTimeout(() => {
      const started = performance.now();
      measuring = measure()
        .catch(() => limit - 1)
        .then(() => schedule(clamp((performance.now() - started) * PAUSE_PER_MEASURE)));
    }, pauseMs);
  };
  if (limit > 0) schedule(CHECK_MIN_MS);

  const end: StepEnd = {
    status: 'failed',
    exitCode: null,
    signal: null,
    reason: `the run directory reached its output limit of ${limit} bytes (limits.jobOutputBytes)`,
  };
  return {
    async budget() {
      if (limit <= 0) return undefined;
      return Math.max(0, limit - (await measure()));
    },
    get reached() {
      return reached;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await measuring;
      if (limit > 0 && !reached) await measure().catch(() => undefined);
      return reached ? end : undefined;
    },
  };
}

function clamp(ms: number): number {
  return Math.min(CHECK_MAX_MS, Math.max(CHECK_MIN_MS, ms));
}
