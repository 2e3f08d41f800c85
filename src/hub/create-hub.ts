import { join } from 'node:path';
import { createMemoryJobQueue, createMemoryRpc, type JobQueue, type Rpc } from '../bus/index.js';
import type { MirrorConfig } from '../config/index.js';
import { lifecycle, type ServiceDefinition } from '../core/index.js';
import { createLocalFileStore, type FileStore } from '../file-store/index.js';
import { openStore, type NewJob, type Store } from '../store/index.js';
import { agentCredentialOf } from './agent-credential.js';
import { createCalcPackages, type CalcPackages } from './calc-packages.js';
import { createEventLog, observeStore, type EventLog } from './events/index.js';
import { createJobs, type Jobs } from './jobs.js';
import { startDuties, type HubDuties } from './duties.js';
import { createMachines, type Machines } from './machines.js';
import { createProjects, type Projects } from './projects.js';
import { createRunFiles, type RunFiles } from './run-files.js';
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
  /** Reads live run-directory files (process files, step logs), wherever the run directory is. */
  readonly runFiles: RunFiles;
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
   * leaves duties off. Once; a second call waits for the first.
   */
  start(options?: { duties?: boolean }): Promise<void>;
  /** Stops the duties and serving, then closes the store. Once; a second call waits for the first. */
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
  const runFiles = createRunFiles({
    workdir: config.workdir,
    call: (service, method, kwargs) => rpc.call(service, method, kwargs, 'json'),
  });
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
  let withDuties = false;
  let duties: HubDuties | undefined;
  let serving = false;
  const life = lifecycle({
    async start() {
      for (const service of services) await rpc.serve(service);
      serving = true;
      if (withDuties) duties = await startDuties({ config, store, queue, fileStore });
    },
    async stop() {
      await duties?.stop();
      if (serving) for (const service of services) await rpc.unserve(service.name);
      if (!parts.store) await store.close();
    },
  });

  return {
    config,
    store,
    fileStore,
    queue,
    rpc,
    events,
    runFiles,
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
    start(options = {}) {
      withDuties = options.duties === true;
      return life.start();
    },
    stop: () => life.stop(),
  };
}
