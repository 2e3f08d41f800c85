import { MOVES } from '../job/index.js';
import type { JobQueue, Rpc } from '../bus/index.js';
import type { MirrorConfig } from '../config/index.js';
import { hostname } from 'node:os';
import { toMirrorError } from '../core/index.js';
import { drive } from './autorun.js';
import { stopRun, type ActiveRun, type AgentContext } from './context.js';
import type { Executor } from './executor/executor.js';
import { createLocalExecutor } from './executor/local/index.js';
import { createHookPool, createHookRunner, type HookRunner } from './hooks/index.js';
import type { HubLink } from '../hub-link/index.js';
import { settleReturnedRuns } from './returned-runs.js';
import { createUnseenJobs } from './unseen-jobs.js';
import { reconcile } from './reconcile.js';
import { agentServices } from './services/index.js';
import { jobsRoot } from '../run-dir/index.js';
import { createSlots } from './slots.js';

/** A resource machine's agent: claims jobs, serves its per-rid services, runs the lifecycle. */
export interface Agent {
  readonly rid: number;
  readonly context: AgentContext;
  /** Reconciles what a previous run left, serves the per-rid services, starts claiming. Idempotent. */
  start(): Promise<void>;
  /**
   * Stops claiming, stops serving, then stops every running step (its job fails with
   * reason "agent stopped") and the hook runner. Idempotent.
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
  const executor = deps.executor ?? createLocalExecutor();
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
    stopping: () => state === 'stopped',
  };
  const services = agentServices(ctx);
  const resumable: number[] = [];
  const driving = new Set<Promise<void>>();
  let state: 'new' | 'started' | 'stopped' = 'new';
  let unsubscribe = () => {};
  let beating: ReturnType<typeof setInterval> | undefined;
  let beatFailing = false;
  let beatPending: Promise<void> = Promise.resolve();
  /**
   * Renews this machine's lease on its jobs. After a heartbeat gets through, the jobs
   * still running here are checked against the store's verdict (a machine cut off for
   * long may have been declared lost meanwhile).
   */
  const beat = () => {
    beatPending = beatPending.then(async () => {
      const report = {
        rid: ctx.rid,
        host: hostname(),
        slots: ctx.slots.total,
        slotsInUse: ctx.slots.inUse,
        jobsRoot: jobsRoot(ctx.config.workdir),
      };
      try {
        await ctx.hub.heartbeat(report);
      } catch (err) {
        if (!beatFailing) ctx.log(`heartbeat failed, retrying: ${toMirrorError(err).message}`);
        beatFailing = true;
        return;
      }
      if (beatFailing) ctx.log('heartbeat through again');
      beatFailing = false;
      await settleReturnedRuns(ctx).catch((err: unknown) => {
        ctx.log(`checking running jobs against the store failed: ${toMirrorError(err).message}`);
      });
    });
  };
  const unseen = createUnseenJobs({
    requeue: (ids) => queue.enqueue(ids),
    log: (line) => ctx.log(line),
  });
  let pumping = false;
  let again = false;

  /** Drives a claimed job in autorun under a slot taken by the caller. */
  const launch = (jobId: number) => {
    const driven = drive(ctx, jobId).finally(() => {
      ctx.slots.release();
      driving.delete(driven);
      if (state === 'started') queue.accepting(true);
      void pump();
    });
    driving.add(driven);
  };

  /**
   * Claims a job taken from the queue: answers false when another machine has it (or it
   * is gone). When the hub cannot be asked, the id goes back into the queue, not lost.
   */
  async function claim(id: number): Promise<boolean> {
    try {
      // Dispatch enqueues inside its transaction: an id may arrive before its job is
      // committed. Not there yet: back into the queue in a moment. Committed meanwhile
      // (still queued): claimed again at once. Anything else: another machine has it.
      for (let attempt = 0; attempt < 3; attempt++) {
        const claimed = await ctx.hub.transitionJob(id, {
          ...MOVES.claim,
          reason: `claimed by rid ${ctx.rid}`,
          rid: ctx.rid,
        });
        if (claimed) {
          unseen.claimed(id);
          return true;
        }
        const job = await ctx.hub.getJob(id);
        if (job === undefined) unseen.retryLater(id);
        if (job?.state !== 'queued') return false;
      }
      unseen.retryLater(id);
      return false;
    } catch (err) {
      ctx.log(`job ${id}: could not be claimed (${toMirrorError(err).message}); back in the queue`);
      await queue.enqueue([id]).catch((e: unknown) => {
        ctx.log(`job ${id}: could not be put back in the queue either: ${toMirrorError(e).message}`);
      });
      return false;
    }
  }

  /**
   * Claims queued jobs: with autorun, as many as there are free slots (each driven at
   * once), and none is held while they are all busy; without, every one (a claimed job
   * waiting for manual calls costs nothing).
   */
  async function pump(): Promise<void> {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        while (state === 'started') {
          if (config.autorun && !ctx.slots.tryTake()) {
            // Every slot busy: queued jobs are left to machines that can start them.
            queue.accepting(false);
            break;
          }
          const resumed = config.autorun ? resumable.shift() : undefined;
          if (resumed !== undefined) {
            launch(resumed);
            continue;
          }
          const [id] = await queue.take(1).catch((err: unknown) => {
            if (config.autorun) ctx.slots.release();
            throw err;
          });
          if (id === undefined) {
            if (config.autorun) ctx.slots.release();
            break;
          }
          const claimed = await claim(id);
          if (!claimed) {
            if (config.autorun) ctx.slots.release();
            continue;
          }
          if (config.autorun) launch(id);
        }
      } while (again && state === 'started');
    } catch (err) {
      // The queue itself failed (its connection dropped): the next delivery pumps again.
      ctx.log(`taking jobs from the queue failed: ${toMirrorError(err).message}`);
    } finally {
      pumping = false;
    }
  }

  return {
    rid: ctx.rid,
    context: ctx,
    async start() {
      if (state !== 'new') return;
      resumable.push(...(await reconcile(ctx)));
      for (const service of services) await rpc.serve(service);
      state = 'started';
      unsubscribe = queue.onEnqueue(() => void pump());
      beat();
      await beatPending;
      beating = setInterval(beat, config.timing.heartbeatMs);
      await pump();
    },
    async stop() {
      if (state === 'stopped') return;
      const wasStarted = state === 'started';
      state = 'stopped';
      unsubscribe();
      clearInterval(beating);
      await unseen.flush();
      await beatPending;
      if (wasStarted) for (const service of services) await rpc.unserve(service.name);
      await Promise.all([...ctx.active.values()].map((run) => stopRun(run, 'agent stopped')));
      await Promise.all([...ctx.active.values()].map((r) => r.done));
      await Promise.all([...driving]);
      await ctx.executor.close();
      await ctx.hooks.close();
    },
  };
}
