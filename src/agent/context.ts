import type { MirrorConfig } from '../config/index.js';
import { mirrorError } from '../core/index.js';
import { packageInfoOf, type PackageInfo } from '../calc-package/index.js';
import type { Executor, RunningStep } from './executor/executor.js';
import type { HookRunner } from './hooks/index.js';
import type { HubLink } from '../hub-link/index.js';
import type { ProcessCopy } from './lifecycle/items/process-copies.js';
import type { Slots } from './slots.js';

/** A job whose steps are being run by this agent right now. */
export interface ActiveRun {
  readonly jobId: number;
  /** The step process running now, if the chain is between hooks it is undefined. */
  current?: RunningStep;
  /** Stops the hook in progress of the current step (the hooks child gets SIGTERM, then SIGKILL). */
  hooks?: AbortController;
  /** Set by jobkill (or the agent stopping): the chain stops at the next boundary. */
  killed: boolean;
  /** Set when the agent stops the chain: the job fails with this reason instead of killed. */
  stopReason?: string;
  /**
   * Set when the agent stopped and let the current step go on without it (a batch job):
   * the chain ends writing nothing, the job and step stay running for the next start.
   */
  detached?: boolean;
  /** Settles when the chain has ended and the job's state is written. */
  readonly done: Promise<void>;
  /** The last copies of its process files sent to a hub on another host, by item key. */
  readonly processCopies: Map<string, ProcessCopy>;
}

/** What every lifecycle phase of an agent works with. Built once in createAgent. */
export interface AgentContext {
  readonly rid: number;
  readonly config: MirrorConfig;
  /** The hub: jobs, packages, project files, the file store, heartbeats. */
  readonly hub: HubLink;
  readonly executor: Executor;
  readonly hooks: HookRunner;
  /** The environment steps start from (captured once at start-up). */
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly slots: Slots;
  /** Jobs with a step chain in progress, by id. */
  readonly active: Map<number, ActiveRun>;
  readonly log: (line: string) => void;
  /** True once the agent is stopping: autorun starts no new phase. */
  readonly stopping: () => boolean;
}

/** The stored package info of a job's calc package (adapter and template placeholders). */
export async function packageInfo(
  ctx: AgentContext,
  packageId: number,
): Promise<{ info: PackageInfo; sha256: string }> {
  const row = await ctx.hub.getCalcPackage(packageId);
  if (!row) throw mirrorError('PACKAGE_NOT_FOUND', { calcpackage: packageId });
  return { info: packageInfoOf(row), sha256: row.sha256 };
}

/** The archive limits of the config, as the archive module takes them. */
export function archiveLimitsOf(ctx: AgentContext): {
  maxEntries: number;
  maxBytes: number;
  maxRatio: number;
} {
  const { archiveEntries, archiveBytes, archiveRatio } = ctx.config.limits;
  return { maxEntries: archiveEntries, maxBytes: archiveBytes, maxRatio: archiveRatio };
}

/**
 * Stops a job's step chain now: marks it (so it starts nothing more), stops the hook in
 * progress and the program's whole tree, each gently first; `stopReason` makes the job
 * fail with it instead of ending killed. Resolves once the program is gone.
 */
export async function stopRun(run: ActiveRun, stopReason?: string): Promise<void> {
  run.killed = true;
  if (stopReason !== undefined) run.stopReason = stopReason;
  run.hooks?.abort(stopReason ?? 'the job was killed');
  await run.current?.stop();
}

/**
 * The agent stopping: a run whose program goes on without its agent (a batch job; not
 * while a hook runs) is let go, for the next start to follow again; any other is stopped,
 * failing its job with `reason`.
 */
export async function leaveOrStopRun(run: ActiveRun, reason: string): Promise<void> {
  if (run.current?.detach !== undefined && !run.killed) {
    run.detached = true;
    run.current.detach();
    return;
  }
  await stopRun(run, reason);
}
