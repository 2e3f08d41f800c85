import { join } from 'node:path';
import type { Step, PackageInfo } from '../../../calc-package/index.js';
import { renderShellCommand, stepResources, type StepResources } from '../../../calc-package/index.js';
import { mirrorError } from '../../../core/index.js';
import type { Job, NewJobItem } from '../../../store/index.js';
import type { ActiveRun, AgentContext } from '../../context.js';
import { runDirOf } from '../../job-access.js';
import type { HookOutcome } from '../../hooks/index.js';
import { freshStepLog, prepareDirectory } from '../../../run-dir/index.js';
import { watchOutput } from './output-limit.js';
import { endOfHook, endOfProgram, type StepEnd } from './step-end.js';
import { batchRecorder } from './batch-record.js';

/** A step a previous run of this agent started as a batch job, to follow to its end. */
export interface ResumedStep {
  readonly batchId: string;
}

/**
 * Runs one step of a job: its pre-method, its program (`/bin/sh -c` in the workpath,
 * `bin/` first on PATH, stdout and stderr to `.mirror/logs/<step>.log`), its
 * post-method. The step's timeout covers all three. Answers how it ended; never throws
 * for an expected end (non-zero exit, signal, timeout, kill, a hook failing).
 * With `resumed`, the program is the batch job a previous run of this agent started: it
 * is followed from where it is (its log and record kept), then the post-method runs.
 */
export async function runStep(
  ctx: AgentContext,
  run: ActiveRun,
  job: Job,
  info: PackageInfo,
  step: Step,
  resumed?: ResumedStep,
): Promise<StepEnd> {
  const runDir = runDirOf(ctx, job);
  const started = Date.now();
  const deadline = step.timeoutMs !== undefined ? started + step.timeoutMs : undefined;
  const stepDir =
    step.workpath === '.' ? runDir : await prepareDirectory(runDir, step.workpath, 'ExeArgument workpath');
  const logPath = `.mirror/logs/${step.id}.log`;
  const logFile = resumed ? join(runDir, logPath) : await freshStepLog(runDir, step.id);
  if (!resumed) {
    await ctx.hub.updateJobStep(job.id, step.id, {
      status: 'running',
      startedAt: started,
      endedAt: null,
      exitCode: null,
      signal: null,
      reason: null,
      logPath,
      batchId: null,
      batchState: null,
    });
  }

  // The run's tags: its hooks and everything they start carry them as the program does,
  // so all of it is collected at the step's end and dies with the agent.
  const tags = ctx.executor.tag();
  const env: Record<string, string> = {
    ...ctx.baseEnv,
    ...tags.env,
    PATH: `${join(runDir, '.mirror', 'calc', 'bin')}:${ctx.baseEnv['PATH'] ?? '/usr/local/bin:/usr/bin:/bin'}`,
    MIRROR_JOB_ID: String(job.id),
    MIRROR_RUN_DIR: runDir,
    MIRROR_STEP: step.id,
    MIRROR_PARAMS: join(runDir, 'params.json'),
  };
  const hook = async (which: 'premethod' | 'postmethod', name: string): Promise<StepEnd | undefined> => {
    const left = deadline === undefined ? Infinity : deadline - Date.now();
    const outcome: HookOutcome = await ctx.hooks.run({
      hooksFile: join(runDir, '.mirror', 'calc', 'hooks.mjs'),
      name,
      cwd: stepDir,
      env,
      timeoutMs: Math.max(1, Math.min(ctx.config.timing.hookTimeoutMs, left)),
      signal: stopHooks.signal,
      stopGraceMs: ctx.config.timing.killGraceMs,
      ctx: {
        jobId: job.id,
        projectId: job.projectId,
        packageId: job.packageId,
        rid: ctx.rid,
        step: { id: step.id, workpath: step.workpath },
        params: { ...job.params },
        runDir,
        stepDir,
      },
    });
    if (outcome.kind !== 'returned') return endOfHook(which, name, outcome);
    return addHookItems(ctx, job, info, which, name, outcome);
  };

  const batches = batchRecorder(ctx, job.id, step.id);

  // The job's output limit covers the whole step: at it, the hook or program in progress is stopped.
  const stopHooks = new AbortController();
  run.hooks = stopHooks;
  const watch = watchOutput(ctx, runDir, async () => {
    // A hard limit: no grace in which to write more.
    stopHooks.abort('the run directory reached its output limit');
    await run.current?.stop({ graceMs: 0 });
  });
  try {
    const end = await runPhases();
    return (await watch.stop()) ?? end;
  } finally {
    run.hooks = undefined;
    await watch.stop();
    await batches.written();
    // Whatever a hook left running (a daemon it started) ends with the step; a detached
    // batch job carries the token too, and goes on.
    if (!run.detached) await ctx.executor.collect(tags.token, ctx.config.timing.killGraceMs);
  }

  async function runPhases(): Promise<StepEnd> {
    if (step.premethod !== undefined && !resumed) {
      const failed = await hook('premethod', step.premethod);
      if (failed) return run.killed ? endOfProgram({ kind: 'killed' }) : failed;
    }
    if (run.killed) return endOfProgram({ kind: 'killed' });
    const budget = await watch.budget();
    if (watch.reached) return endOfProgram({ kind: 'killed' }); // nothing left to write: the watch's end stands
    if (run.killed) return endOfProgram({ kind: 'killed' }); // stopped while it measured
    const left = deadline === undefined ? undefined : Math.max(1, deadline - Date.now());
    let resources: StepResources;
    try {
      resources = stepResources(step, job.params, (attribute, value, reason) =>
        mirrorError('STEP_BAD_RESOURCE', { step: step.id, attribute, value: JSON.stringify(value), reason }),
      );
    } catch (err) {
      return endOfProgram({ kind: 'failed-to-start', reason: (err as Error).message });
    }
    const launch = {
      command: renderShellCommand(step.value, job.params, `ExeArgument ${step.id} value`),
      cwd: stepDir,
      env,
      logFile,
      ...(left !== undefined ? { timeoutMs: left } : {}),
      killGraceMs: ctx.config.timing.killGraceMs,
      token: tags.token,
      ...(budget !== undefined ? { maxFileBytes: budget } : {}),
      resources,
      name: `mirror-${job.id}-${step.id}`,
      onBatch: batches.record,
    };
    run.current =
      resumed && ctx.executor.adopt
        ? ctx.executor.adopt(launch, resumed.batchId)
        : ctx.executor.start(launch);
    const end = endOfProgram(await run.current.outcome);
    run.current = undefined;
    if (run.detached) return end; // the batch job goes on; nothing more of the step here
    if (end.status !== 'succeeded') return run.killed ? endOfProgram({ kind: 'killed' }) : end;
    if (step.postmethod !== undefined) {
      const failed = await hook('postmethod', step.postmethod);
      if (failed) return run.killed ? endOfProgram({ kind: 'killed' }) : failed;
    }
    return run.killed ? endOfProgram({ kind: 'killed' }) : end;
  }
}

/** Stores the items a hook returned; a key that repeats an adapter key fails the step. */
async function addHookItems(
  ctx: AgentContext,
  job: Job,
  info: PackageInfo,
  which: 'premethod' | 'postmethod',
  name: string,
  outcome: Extract<HookOutcome, { kind: 'returned' }>,
): Promise<StepEnd | undefined> {
  const adapterKeys = new Set(
    [...info.adapter.process, ...info.adapter.results, ...info.adapter.outputs]
      .map((i) => i.key)
      .concat(['currentstep', 'allstep']),
  );
  const items: NewJobItem[] = [];
  for (const section of ['process', 'result'] as const) {
    for (const [key, value] of Object.entries(outcome[section])) {
      if (adapterKeys.has(key)) {
        return {
          status: 'failed',
          exitCode: null,
          signal: null,
          reason: `${which} ${name} returned key ${key}, which the adapter already names`,
        };
      }
      items.push({ section, key, kind: 'value', value, sha256: null, size: null });
    }
  }
  if (items.length > 0) await ctx.hub.putJobItems(job.id, items);
  return undefined;
}
