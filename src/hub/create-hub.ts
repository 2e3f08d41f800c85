import { join } from 'node:path';
import { createMemoryJobQueue, type JobQueue } from '../bus/index.js';
import type { MirrorConfig } from '../config/index.js';
import { bindArgs, fail, mirrorError, type Reply, type ServiceDefinition } from '../core/index.js';
import { createLocalFileStore, type FileStore } from '../file-store/index.js';
import { openStore, type Store } from '../store/index.js';
import { createCalcPackages, type CalcPackages } from './calc-packages.js';
import { createProjects, type Projects } from './projects.js';
import { jobdispatchService } from './services/jobdispatch.js';

/** The hub: the control plane (store, file store, registries, the hub's seed services). */
export interface Hub {
  readonly config: MirrorConfig;
  readonly store: Store;
  readonly fileStore: FileStore;
  readonly queue: JobQueue;
  readonly projects: Projects;
  readonly calcPackages: CalcPackages;
  readonly services: ReadonlyMap<string, ServiceDefinition>;
  /**
   * Calls a seed service's method with keyword arguments, as RPC (`json`) or `/proxy`
   * (`text`) would: arguments checked by the method's declaration, reply `[code, value]`.
   */
  call(
    service: string,
    method: string,
    kwargs: Readonly<Record<string, unknown>>,
    source?: 'json' | 'text',
  ): Promise<Reply<unknown>>;
  /** Closes the store. Idempotent. */
  stop(): Promise<void>;
}

/** Builds a hub from its config: the one place its parts are made and wired. */
export async function createHub(config: MirrorConfig, parts: { queue?: JobQueue } = {}): Promise<Hub> {
  const store = await openStore(config.store);
  const fileStore = createLocalFileStore(join(config.workdir, 'files'));
  const queue = parts.queue ?? createMemoryJobQueue();
  const projects = createProjects({ store, fileStore });
  const calcPackages = createCalcPackages({ store, fileStore, tmpDir: join(config.workdir, 'tmp') });
  const dispatchDeps = { store, fileStore, queue, projects, calcPackages, limits: config.limits };
  const services = new Map<string, ServiceDefinition>(
    [jobdispatchService(dispatchDeps)].map((s) => [s.name, s]),
  );
  let stopped = false;

  return {
    config,
    store,
    fileStore,
    queue,
    projects,
    calcPackages,
    services,
    async call(serviceName, methodName, kwargs, source = 'json') {
      try {
        const service = services.get(serviceName);
        if (!service) throw mirrorError('SERVICE_UNKNOWN', { service: serviceName });
        const method = Object.prototype.hasOwnProperty.call(service.methods, methodName)
          ? service.methods[methodName]
          : undefined;
        if (!method) throw mirrorError('METHOD_UNKNOWN', { method: methodName, service: serviceName });
        return await method.call(bindArgs(method.params, kwargs, source));
      } catch (err) {
        return fail(err);
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await store.close();
    },
  };
}
