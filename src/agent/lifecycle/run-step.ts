import { join } from 'node:path';
import type { Step } from '../../calc-package/index.js';
import { renderShellCommand } from '../../calc-package/index.js';
import type { Job, NewJobItem } from '../../store/index.js';
import type { ActiveRun, AgentContext } from '../context.js';
import { runDirOf } from '../job-access.js';
import type { HookOutcome } from '../hooks/index.js';
import type { PackageInfo } from '../../hub/index.js';
import { freshStepLog, prepareDirectory } from '../run-dir/safe-target.js';
import { treeSize } from '../run-dir/tree-size.js';
import { endOfHook, endOfProgram, type StepEnd } from './step-end.js';

/**
 * Runs one step of a job: its pre-method, its program (`/bin/sh -c` in the workpath,
 * `bin/` first on PATH, stdout and stderr to `.mirror/logs/<step>.log`), its
 * post-method. The step's timeout covers all three. Answers how it ended; never throws
 * for an expected end (non-zero exit, signal, timeout, kill, a hook failing).
 */
export async function runStep(
  ctx: AgentContext,
  run: ActiveRun,
  job: Job,
  info: PackageInfo,
  step: Step,
): Promise<StepEnd> {
  const runDir = runDirOf(ctx, job);
  const started = Date.now();
  const deadline = step.timeoutMs !== undefined ? started + step.timeoutMs : undefined;
  const stepDir =
    step.workpath === '.' ? runDir : await prepareDirectory(runDir, step.workpath, 'ExeArgument workpath');
  const logPath = `.mirror/logs/${step.id}.log`;
  const logFile = await freshStepLog(runDir, step.id);
  await ctx.hub.updateJobStep(job.id, step.id, {
    status: 'running',
    startedAt: started,
    endedAt: null,
    exitCode: null,
    signal: null,
    reason: null,
    logPath,
  });

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

  try {
    return await runPhases();
  } finally {
    // Whatever a hook left running (a daemon it started) ends with the step.
    await ctx.executor.collect(tags.token, ctx.config.timing.killGraceMs);
  }

  async function runPhases(): Promise<StepEnd> {
    if (step.premethod !== undefined) {
      const failed = await hook('premethod', step.premethod);
      if (failed) return failed;
    }
    if (run.killed) return endOfProgram({ kind: 'killed' });
    const left = deadline === undefined ? undefined : Math.max(1, deadline - Date.now());
    run.current = ctx.executor.start({
      command: renderShellCommand(step.value, job.params, `ExeArgument ${step.id} value`),
      cwd: stepDir,
      env,
      logFile,
      ...(left !== undefined ? { timeoutMs: left } : {}),
      killGraceMs: ctx.config.timing.killGraceMs,
      token: tags.token,
    });
    const watch = watchOutput(ctx, run, runDir);
    const end = endOfProgram(await run.current.outcome);
    run.current = undefined;
    const overLimit = watch.stop();
    if (overLimit !== undefined) return overLimit;
    if (end.status !== 'succeeded') return run.killed ? endOfProgram({ kind: 'killed' }) : end;
    if (step.postmethod !== undefined) {
      const failed = await hook('postmethod', step.postmethod);
      if (failed) return failed;
    }
    return run.killed ? endOfProgram({ kind: 'killed' }) : end;
  }
}

/** How often the run directory's size is checked while a program runs, ms. */
const OUTPUT_CHECK_MS = 1000;

/**
 * Watches the run directory's size while the step's program runs: past
 * `limits.jobOutputBytes` the program is stopped and `stop()` answers the step's end
 * (failed, saying so); otherwise `stop()` answers undefined.
 */
function watchOutput(ctx: AgentContext, run: ActiveRun, runDir: string): { stop(): StepEnd | undefined } {
  const limit = ctx.config.limits.jobOutputBytes;
  let over: StepEnd | undefined;
  let busy = false;
  const timer =
    limit > 0
      ? setInterval(() => {
          if (busy || over !== undefined) return;
          busy = true;
          void treeSize(runDir, limit)
            .then(async (size) => {
              if (size <= limit || over !== undefined) return;
              over = {
                status: 'failed',
                exitCode: null,
                signal: null,
                reason: `the run directory passed its output limit of ${limit} bytes (limits.jobOutputBytes)`,
              };
              await run.current?.stop();
            })
            .catch(() => undefined)
            .finally(() => (busy = false));
        }, OUTPUT_CHECK_MS)
      : undefined;
  return {
    stop() {
      clearInterval(timer);
      return over;
    },
  };
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
