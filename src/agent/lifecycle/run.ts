import { mirrorError, toMirrorError } from '../../core/index.js';
import { MOVES } from '../../job/index.js';
import type { Job, JobStep } from '../../store/index.js';
import type { PackageInfo, Step } from '../../calc-package/index.js';
import { packageInfo, type ActiveRun, type AgentContext } from '../context.js';
import { jobOfThisRid, moveJob, requireState, wrongState } from '../job-access.js';
import { chooseSteps } from './jobrun/choose-steps.js';
import { refreshProcess } from './process-monitor.js';
import { recoverResults } from './result-recovery.js';
import { runStep, type ResumedStep } from './jobrun/run-step.js';
import { tailProcessFiles } from './jobrun/tail-lines.js';
import type { StepEnd } from './jobrun/step-end.js';

export interface RunOptions {
  /** The caller already holds a slot for this job (autorun); else one is taken or refused. */
  readonly slotHeld?: boolean;
  /** Refresh progress every `timing.monitorMs` while the steps run (autorun). */
  readonly monitor?: boolean;
  /**
   * Recover the results when the last step has succeeded, before the job is marked
   * finished (autorun): a finished job's results are there to read.
   */
  readonly recover?: boolean;
}

/**
 * `jobrun_<rid>.do(job_id, step)`: starts the chosen steps (see chooseSteps) and
 * answers as soon as they have started; the chain goes on in the background and writes
 * the job's fate: `finished` when every step of the job has succeeded, `ready` when
 * steps remain, `failed` at the first failing step (later ones do not run), `killed`.
 */
export async function startRun(
  ctx: AgentContext,
  jobId: number,
  stepName: string | null,
  options: RunOptions = {},
): Promise<ActiveRun> {
  const job = await jobOfThisRid(ctx, jobId);
  requireState(job, MOVES.run.from, 'run');
  const { info } = await packageInfo(ctx, job.packageId);
  const steps = chooseSteps(jobId, info.adapter.steps, await ctx.hub.listJobSteps(jobId), stepName);
  if (!options.slotHeld && !ctx.slots.tryTake()) {
    throw mirrorError('NO_FREE_SLOT', { rid: ctx.rid, slots: ctx.slots.inUse });
  }
  const release = () => {
    if (!options.slotHeld) ctx.slots.release();
  };
  const running = await moveJob(ctx, jobId, {
    from: MOVES.run.from,
    to: 'running',
    reason: `${steps.length === 1 ? 'step' : 'steps'} ${steps.map((s) => s.id).join(', ')} started`,
  });
  if (!running) {
    // Another call moved the job between the check above and this change.
    release();
    throw wrongState((await ctx.hub.getJob(jobId)) ?? job, MOVES.run.from, 'run');
  }
  return launchChain(ctx, running, info, steps, options, release);
}

/**
 * Carries on a job a previous run of this agent left running, whose step goes on as a
 * batch job (`batchId`): follows that step to its end, then, with autorun, runs the
 * steps after it and recovers the results, as the chain that started it would have.
 * Takes a slot (at start-up there are free ones).
 */
export async function resumeRun(
  ctx: AgentContext,
  job: Job,
  records: readonly JobStep[],
  stepId: string,
  batchId: string,
): Promise<ActiveRun> {
  const { info } = await packageInfo(ctx, job.packageId);
  const at = info.adapter.steps.findIndex((s) => s.id === stepId);
  const autorun = ctx.config.autorun;
  const steps = info.adapter.steps
    .slice(at)
    .filter((s, i) => i === 0 || (autorun && records.find((r) => r.stepId === s.id)?.status !== 'succeeded'));
  const took = ctx.slots.tryTake();
  const options = autorun ? { monitor: true, recover: true } : {};
  return launchChain(ctx, job, info, steps, options, () => took && ctx.slots.release(), { batchId });
}

/** Runs `steps` in the background as the job's active run; `release` gives back its slot at the end. */
function launchChain(
  ctx: AgentContext,
  running: Job,
  info: PackageInfo,
  steps: readonly Step[],
  options: RunOptions,
  release: () => void,
  resumed?: ResumedStep,
): ActiveRun {
  const jobId = running.id;
  let settle = () => {};
  const run: ActiveRun = {
    jobId,
    killed: false,
    done: new Promise<void>((r) => (settle = r)),
    processCopies: new Map(),
  };
  ctx.active.set(jobId, run);
  void runChain(ctx, run, running, info, steps, options, resumed)
    .catch((err: unknown) => {
      // The hub could not be told how the chain ended (it is away): the returned-runs check
      // and the lost-agent policy settle the job from the store's side.
      ctx.log(`job ${jobId}: its end could not be recorded: ${toMirrorError(err).message}`);
    })
    .finally(() => {
      ctx.active.delete(jobId);
      release();
      settle();
    });
  return run;
}

/** Runs the steps one after the other and writes the job's state at the end. */
async function runChain(
  ctx: AgentContext,
  run: ActiveRun,
  job: Job,
  info: PackageInfo,
  steps: readonly Step[],
  options: RunOptions,
  resumed?: ResumedStep,
): Promise<void> {
  const monitor = options.monitor === true;
  // One pass at a time: a pass slower than the period (a large process file sent to a
  // remote hub) is not overlapped by the next.
  let passing: Promise<void> | undefined;
  const timer = monitor
    ? setInterval(() => {
        passing ??= refreshProcess(ctx, job.id, true)
          .catch(() => {})
          .finally(() => (passing = undefined));
      }, ctx.config.timing.monitorMs)
    : undefined;
  const stopTailing = tailProcessFiles(ctx, job, info);
  let last: { step: Step; end: StepEnd } | undefined;
  try {
    for (const [i, step] of steps.entries()) {
      const end = await runStep(ctx, run, job, info, step, i === 0 ? resumed : undefined).catch(
        (err: unknown): StepEnd => ({
          status: 'failed',
          exitCode: null,
          signal: null,
          reason: (err as Error).message,
        }),
      );
      if (run.detached) break;
      await ctx.hub.updateJobStep(job.id, step.id, { ...end, endedAt: Date.now() });
      last = { step, end };
      if (end.status !== 'succeeded') break;
    }
  } finally {
    if (timer) clearInterval(timer);
    await stopTailing();
    await passing;
  }
  if (run.detached) return; // left running for the agent's next start: nothing to write
  if (monitor) await refreshProcess(ctx, job.id).catch(() => {});
  await settleJob(ctx, run, job, last, options.recover === true);
}

/** The job's state after its chain: killed, failed, finished or ready. */
async function settleJob(
  ctx: AgentContext,
  run: ActiveRun,
  job: Job,
  last: { step: Step; end: StepEnd } | undefined,
  recover: boolean,
): Promise<void> {
  const jobId = run.jobId;
  if (run.stopReason !== undefined) {
    await moveJob(ctx, jobId, { ...MOVES.fail, reason: run.stopReason });
  } else if (!last || last.end.status === 'killed') {
    await moveJob(ctx, jobId, { ...MOVES.kill, reason: `killed during step ${last?.step.id ?? '?'}` });
  } else if (last.end.status === 'failed') {
    await moveJob(ctx, jobId, {
      ...MOVES.fail,
      reason: `step ${last.step.id} failed: ${last.end.reason ?? ''}`,
    });
  } else {
    const records = await ctx.hub.listJobSteps(jobId);
    const allDone = records.every((r) => r.status === 'succeeded');
    if (allDone && recover) {
      const failure = await recoverResults(ctx, job).then(
        () => undefined,
        (err: unknown) => toMirrorError(err).message,
      );
      if (failure !== undefined) {
        await moveJob(ctx, jobId, { ...MOVES.fail, reason: `result recovery failed: ${failure}` });
        return;
      }
    }
    await moveJob(
      ctx,
      jobId,
      allDone
        ? { ...MOVES.finish, reason: 'every step succeeded' }
        : { ...MOVES.stepDone, reason: `step ${last.step.id} succeeded` },
    );
  }
}
