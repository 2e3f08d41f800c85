import type { Executor, RunningStep, StepLaunch, StepOutcome } from '../executor.js';
import { AGENT_TOKEN_VAR, createLocalExecutor } from '../local/index.js';
import { QueueWatch } from './queue-watch.js';
import { checkSlurm, slurmCommands, type SlurmCommandOptions } from './slurm-commands.js';
import { SlurmStep } from './slurm-step.js';

/** How the Slurm executor submits and follows steps (config `slurm.*`). */
export interface SlurmExecutorOptions extends SlurmCommandOptions {
  readonly partition: string;
  readonly account: string;
  readonly extraArgs: readonly string[];
  /** Period of the one `squeue` that asks after every step. */
  readonly pollMs: number;
  /** How long a finished job's exit file may take to show. */
  readonly exitReadMs: number;
  readonly log: (line: string) => void;
}

/**
 * The executor that runs each step as a Slurm batch job of the cluster the agent is on
 * (a login node): `sbatch` a script per step, one `squeue` per poll for all of them,
 * `scancel` to stop one. The step's pre- and post-methods still run here, on the agent's
 * host, so tagging them, collecting what they leave and killing them with the agent are
 * the local executor's. A batch job does not carry the agent token: it belongs to the
 * cluster and outlives the agent. Throws SLURM_UNAVAILABLE when the Slurm commands do
 * not work here.
 */
export function createSlurmExecutor(options: SlurmExecutorOptions): Executor {
  checkSlurm(options);
  const hooks = createLocalExecutor();
  const commands = slurmCommands(options);
  const queue = new QueueWatch(commands, options.pollMs, options.log);
  const deps = {
    commands,
    queue,
    settings: { partition: options.partition, account: options.account, extraArgs: options.extraArgs },
    exitReadMs: options.exitReadMs,
    omitEnv: new Set([AGENT_TOKEN_VAR]),
    log: options.log,
  };
  let closed = false;
  /** A step asked for after close(): it ends at once, never submitted. */
  const refused = (launch: StepLaunch): RunningStep => {
    const outcome = Promise.resolve<StepOutcome>({
      kind: 'failed-to-start',
      reason: 'the executor is closed',
    });
    return { pid: 0, token: launch.token ?? '', outcome, stop: () => outcome.then(() => undefined) };
  };
  return {
    kind: 'slurm',
    tag: () => hooks.tag(),
    collect: (token, graceMs) => hooks.collect(token, graceMs),
    agentEnv: hooks.agentEnv,
    start: (launch) =>
      closed ? refused(launch) : new SlurmStep(launch, launch.token ?? hooks.tag().token, deps),
    adopt: (launch, batchId) => new SlurmStep(launch, launch.token ?? hooks.tag().token, deps, batchId),
    async close() {
      closed = true;
      await queue.close();
      await hooks.close();
    },
  };
}
