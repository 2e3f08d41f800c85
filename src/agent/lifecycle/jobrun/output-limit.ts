import type { AgentContext } from '../../context.js';
import { treeSize } from '../../../run-dir/index.js';
import type { StepEnd } from './step-end.js';

/** Usual shortest and longest pause between two measures of the run directory, ms. */
const CHECK_MIN_MS = 25;
const CHECK_MAX_MS = 1000;
/** The shortest pause of all, for a writer close to the limit at speed, ms. */
const CHECK_NEAR_MS = 1;
/** A measure may take this share of the time at most: the pause is this many times its length. */
const PAUSE_PER_MEASURE = 5;
/** The share of the limit a writer may pass it by between two measures, at its measured speed. */
const OVERSHOOT = 0.04;

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
 * that is long to walk (at most a fifth of the time is spent measuring), and sooner for
 * a writer that would otherwise pass the limit by more than 4 % first. The program is
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
  // The last measure: when, and what it found (for the writer's speed).
  let last: { at: number; size: number } | undefined;
  let peak: number | undefined;
  const schedule = (pauseMs: number) => {
    if (stopped || reached) return;
    timer = setTimeout(() => {
      const started = performance.now();
      measuring = measure()
        .catch(() => limit - 1)
        .then((size) => {
          const now = performance.now();
          // The fastest it has written yet: writers are bursty, and a lull says little.
          if (last !== undefined) peak = Math.max(peak ?? 0, (size - last.size) / Math.max(1, now - last.at));
          last = { at: now, size };
          schedule(nextPause(limit, size, peak, now - started));
        });
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

/**
 * The pause before the next measure, ms: a fifth of the time at most is spent measuring
 * (25 ms to 1 s apart), but a writer that could pass the limit by more than 4 % before
 * then at the speed just measured is measured sooner (1 ms apart at the closest, for a
 * few measures before it is stopped): at disk speed, a writer of many files (which no
 * one file's kernel limit bounds) is stopped close to the limit too.
 */
function nextPause(limit: number, size: number, bytesPerMs: number | undefined, measureMs: number): number {
  // The writer's speed is known from the second measure on: until then, the shortest usual pause.
  if (bytesPerMs === undefined) return CHECK_MIN_MS;
  const usual = Math.min(CHECK_MAX_MS, Math.max(CHECK_MIN_MS, measureMs * PAUSE_PER_MEASURE));
  if (bytesPerMs <= 0) return usual;
  // Writing goes on while the next measure walks the tree, and a busy machine fires timers
  // late: half the time left, less a measure's length.
  const untilPast = (limit - size + OVERSHOOT * limit) / bytesPerMs / 2 - measureMs;
  return Math.max(CHECK_NEAR_MS, Math.min(usual, untilPast));
}
