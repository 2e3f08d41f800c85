import { join } from 'node:path';
import { createMemoryJobQueue, createMemoryRpc, type JobQueue, type Rpc } from '../bus/index.js';
import type { MirrorConfig } from '../config/index.js';
import type { ServiceDefinition } from '../core/index.js';
import { createLocalFileStore, type FileStore } from '../file-store/index.js';
import { openStore, type NewJob, type Store } from '../store/index.js';
import { agentCredentialOf } from './agent-credential.js';
import { createCalcPackages, type CalcPackages } from './calc-packages.js';
import { createEventLog, observeStore, type EventLog } from './events/index.js';
import { createJobs, type Jobs } from './jobs.js';
import { sweepLostAgents } from './lost-agents.js';
import { createRequeueDuty } from './requeue-duty.js';
import { createMachines, type Machines } from './machines.js';
import { createProjects, type Projects } from './projects.js';
import { dispatchProject, planDispatch, type DispatchRequest } from './dispatch/dispatch.js';
import { jobService } from './services/job.js';
import { jobdispatchService } from './services/jobdispatch.js';
import { jobgetdataService } from './services/jobgetdata.js';

/** The hub: the control plane (store, file store, registries, the hub's seed services). */
export interface Hub {
  readonly config: MirrorConfig;
  readonly store: Store;
  readonly fileStore: FileStore;
  readonly queue: JobQueue;
  readonly rpc: Rpc;
  /** What happens to jobs, for watchers (the event stream). */
  readonly events: EventLog;
  readonly projects: Projects;
  readonly calcPackages: CalcPackages;
  readonly jobs: Jobs;
  /** The resource machines heard from (agents' heartbeats). */
  readonly machines: Machines;
  /** What agents present at the `/agent` routes (`agent.credential`, or the one generated in the workdir). */
  readonly agentCredential: string;
  /** `jobdispatch.do` itself: answers the new job ids or throws the catalog error. */
  dispatch(request: DispatchRequest): Promise<number[]>;
  /** What `dispatch` would make of the request, changing nothing (or the error it would answer). */
  planDispatch(request: DispatchRequest): Promise<NewJob[]>;
  /**
   * The base URL clients reach the hub at (file URLs in jobgetdata): `http.publicUrl`,
   * else the gateway's address once it listens (`listeningAt`), else the configured one.
   */
  readonly baseUrl: string;
  /** Tells the hub the address its gateway listens at (a port 0 resolved). */
  listeningAt(address: string): void;
  /** Calls any seed service on the bus, as RPC (`json`) or `/proxy` (`text`) would. */
  readonly call: Rpc['call'];
  /**
   * Serves the hub's services. With `duties`, also does the work of a long-running hub:
   * refills an in-process queue with the store's queued jobs (it starts empty) and
   * sweeps blobs no row refers to, in the background. A one-shot use (a CLI command)
   * leaves duties off. Idempotent.
   */
  start(options?: { duties?: boolean }): Promise<void>;
  /** Stops serving, then closes the store. Idempotent. */
  stop(): Promise<void>;
}

export interface HubParts {
  readonly queue?: JobQueue;
  readonly rpc?: Rpc;
  readonly store?: Store;
}

/** Builds a hub from its config: the one place its parts are made and wired. */
export async function createHub(config: MirrorConfig, parts: HubParts = {}): Promise<Hub> {
  const agentCredential = await agentCredentialOf(config);
  const events = createEventLog({ bytes: config.limits.eventLogBytes });
  const store = observeStore(parts.store ?? (await openStore(config.store)), events);
  const fileStore = createLocalFileStore(join(config.workdir, 'files'));
  const queue = parts.queue ?? createMemoryJobQueue();
  const rpc = parts.rpc ?? createMemoryRpc();
  const projects = createProjects({ store, fileStore });
  const { archiveEntries, archiveBytes, archiveRatio, adapterBytes } = config.limits;
  const calcPackages = createCalcPackages({
    store,
    fileStore,
    tmpDir: join(config.workdir, 'tmp'),
    load: {
      limits: { maxEntries: archiveEntries, maxBytes: archiveBytes, maxRatio: archiveRatio },
      adapterMaxBytes: adapterBytes,
    },
  });
  const jobs = createJobs({ store, queue, rpc });
  const machines = createMachines({ store, lostAfterMs: config.timing.agentLostMs });
  let baseUrl =
    config.http.publicUrl !== ''
      ? config.http.publicUrl.replace(/\/$/, '')
      : `http://${config.http.host}:${config.http.port}`;
  const dispatchDeps = { store, fileStore, queue, projects, calcPackages, limits: config.limits };
  const services: ServiceDefinition[] = [
    jobdispatchService(dispatchDeps),
    jobgetdataService({ store, baseUrl: () => baseUrl }),
    jobService({ store }),
  ];
  let state: 'new' | 'started' | 'stopped' = 'new';
  let sweeping: Promise<unknown> = Promise.resolve();
  let watching: ReturnType<typeof setInterval> | undefined;
  let lostSweep: Promise<unknown> = Promise.resolve();

  return {
    config,
    store,
    fileStore,
    queue,
    rpc,
    events,
    projects,
    calcPackages,
    jobs,
    machines,
    agentCredential,
    get baseUrl() {
      return baseUrl;
    },
    listeningAt(address) {
      if (config.http.publicUrl === '') baseUrl = address.replace(/\/$/, '');
    },
    dispatch: (request) => dispatchProject(dispatchDeps, request),
    planDispatch: (request) => planDispatch(dispatchDeps, request),
    call: (service, method, kwargs, source) => rpc.call(service, method, kwargs, source),
    async start(options = {}) {
      if (state !== 'new') return;
      state = 'started';
      for (const service of services) await rpc.serve(service);
      if (options.duties !== true) return;
      // An in-process queue starts empty: jobs dispatched before a restart wait in the store.
      if (!queue.durable && (await queue.size()) === 0) {
        await queue.enqueue(await store.listQueuedJobIds(Number.MAX_SAFE_INTEGER));
      }
      // Blobs no row refers to (a refused upload, a deleted project or package) go now,
      // in the background; one written in the last minutes may be about to be recorded.
      sweeping = fileStore
        .sweep(async (sha256) => (await store.getStoredFile(sha256)) !== undefined)
        .catch(() => 0);
      // Machines that fall silent: their jobs follow the lost-agent policy. Heartbeats
      // cannot be recorded while the store is away (or before this hub started), so
      // silence counts only from when they could have been.
      let listeningSince = Date.now();
      let storeFailed = false;
      // Requeued ids the queue did not take yet (the broker away): sent again next round.
      let unsent: number[] = [];
      // Jobs queued for long whose message may be gone, looked for a few times per period.
      const requeue = createRequeueDuty({ requeueAfterMs: config.timing.requeueAfterMs });
      const requeueEveryMs = Math.min(config.timing.requeueAfterMs / 4, 60_000);
      let requeueLooked = 0;
      const requeueOverdue = async (): Promise<number[]> => {
        if (Date.now() - requeueLooked < requeueEveryMs) return [];
        requeueLooked = Date.now();
        return store
          .transaction(async (tx) => ((await tx.tryHoldDuty('requeue')) ? requeue.due(tx) : []))
          .catch(() => []);
      };
      watching = setInterval(() => {
        // One hub at a time on a shared database: the duty's lock is held by the sweep's transaction.
        lostSweep = lostSweep
          .then(async () => {
            const { requeued } = await store
              .transaction(async (tx) => {
                if (!(await tx.tryHoldDuty('lost-agents'))) return { requeued: [] };
                if (storeFailed) listeningSince = Date.now();
                storeFailed = false;
                const lostAfterMs = config.timing.agentLostMs;
                return sweepLostAgents({ store: tx, lostAfterMs, listeningSince });
              })
              .catch(() => {
                storeFailed = true;
                return { requeued: [] };
              });
            const ids = [...unsent, ...requeued, ...(await requeueOverdue())];
            unsent = [];
            if (ids.length > 0) await queue.enqueue(ids).catch(() => (unsent = ids));
          })
          .catch(() => undefined);
      }, config.timing.heartbeatMs);
    },
    async stop() {
      if (state === 'stopped') return;
      const wasStarted = state === 'started';
      state = 'stopped';
      clearInterval(watching);
      await lostSweep;
      await sweeping;
      if (wasStarted) for (const service of services) await rpc.unserve(service.name);
      if (!parts.store) await store.close();
    },
  };
}
