import type { JobQueue, Rpc } from '../bus/index.js';
import type { MirrorConfig } from '../config/index.js';
import { lifecycle } from '../core/index.js';
import { createClaimLoop } from './claim-loop.js';
import { leaveOrStopRun, type ActiveRun, type AgentContext } from './context.js';
import type { Executor } from './executor/executor.js';
import { createExecutor } from './executor/create-executor.js';
import { createHookPool, createHookRunner, type HookRunner } from './hooks/index.js';
import type { HubLink } from '../hub-link/index.js';
import { createHeartbeat } from './heartbeat.js';
import { createUnseenJobs } from './unseen-jobs.js';
import { reconcile } from './reconcile.js';
import { agentServices } from './services/index.js';
import { createSlots } from './slots.js';

/** A resource machine's agent: claims jobs, serves its per-rid services, runs the lifecycle. */
export interface Agent {
  readonly rid: number;
  readonly context: AgentContext;
  /** Reconciles what a previous run left, serves the per-rid services, starts claiming. Once; a second call waits for the first. */
  start(): Promise<void>;
  /**
   * Stops claiming, stops serving, then stops every running step (its job fails with
   * reason "agent stopped") and the hook runner. Once; a second call waits for the first.
   */
  stop(): Promise<void>;
}

export interface AgentDeps {
  readonly config: MirrorConfig;
  /** The hub: in this process (embedded) or over HTTP (`mirror agent`). */
  readonly hub: HubLink;
  readonly queue: JobQueue;
  readonly rpc: Rpc;
  /** The environment steps start from; captured by the process's composition root. */
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly executor?: Executor;
  readonly hooks?: HookRunner;
  readonly log?: (line: string) => void;
}

/** Builds an agent for `config.rid`: the one place its parts are made and wired. */
export function createAgent(deps: AgentDeps): Agent {
  const { config, queue, rpc } = deps;
  const executor = deps.executor ?? createExecutor(config, deps.log ?? (() => {}));
  const ctx: AgentContext = {
    rid: config.rid,
    config,
    hub: deps.hub,
    executor,
    // The hooks children carry the agent token (if the agent dies, its guard takes them too) and
    // may write no file past the job output limit (they serve every job, so not each job's rest).
    hooks:
      deps.hooks ??
      createHookPool(config.slots, () =>
        createHookRunner({
          env: executor.agentEnv,
          ...(config.limits.jobOutputBytes > 0 ? { maxFileBytes: config.limits.jobOutputBytes } : {}),
        }),
      ),
    baseEnv: deps.baseEnv,
    slots: createSlots(config.slots),
    active: new Map<number, ActiveRun>(),
    log: deps.log ?? (() => {}),
    stopping: () => life.state === 'stopping' || life.state === 'stopped',
  };
  const services = agentServices(ctx);
  const resumable: number[] = [];
  const heartbeat = createHeartbeat(ctx);
  const unseen = createUnseenJobs({
    requeue: (ids) => queue.enqueue(ids),
    log: (line) => ctx.log(line),
  });
  const claims = createClaimLoop({ ctx, queue, unseen, resumable });
  let serving = false;

  const life = lifecycle({
    async start() {
      resumable.push(...(await reconcile(ctx)));
      for (const service of services) await rpc.serve(service);
      serving = true;
      await heartbeat.start();
      await claims.open();
    },
    async stop() {
      claims.close();
      await heartbeat.stop();
      await unseen.flush();
      if (serving) for (const service of services) await rpc.unserve(service.name);
      await Promise.all([...ctx.active.values()].map((run) => leaveOrStopRun(run, 'agent stopped')));
      await Promise.all([...ctx.active.values()].map((r) => r.done));
      await claims.drained();
      await ctx.executor.close();
      await ctx.hooks.close();
    },
  });
  return { rid: ctx.rid, context: ctx, start: () => life.start(), stop: () => life.stop() };
}
