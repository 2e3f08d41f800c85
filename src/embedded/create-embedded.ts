import { lifecycle } from '../core/index.js';
import { createAgent, type Agent } from '../agent/index.js';
import { createMemoryJobQueue, createMemoryRpc, type JobQueue, type Rpc } from '../bus/index.js';
import type { MirrorConfig } from '../config/index.js';
import { createHub, createLocalHubLink, type Hub } from '../hub/index.js';

/** The embedded default: a hub and one local agent in one process, on one in-process bus. */
export interface Embedded {
  readonly hub: Hub;
  readonly agent: Agent;
  /** Calls any seed service on the in-process bus. */
  readonly call: Rpc['call'];
  /** Starts the hub, then the agent. Once; a second call waits for the first. */
  start(): Promise<void>;
  /** Stops the agent, then the hub (reverse order). Once; a second call waits for the first. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Run the local agent too (default); without it, a hub alone on the embedded store. */
  readonly withAgent?: boolean;
  /** Run the hub's duties (sweeps, lost agents); default: when there is an agent, or a broker queue. */
  readonly duties?: boolean;
  /** The RPC bus; default in-process (a RabbitMQ one serves the seed verbs to Python clients too). */
  readonly rpc?: Rpc;
  /** The job queue; default in-process. */
  readonly queue?: JobQueue;
  /** The environment steps start from; default none but PATH. */
  readonly baseEnv?: Readonly<Record<string, string>>;
  readonly log?: (line: string) => void;
}

/** Builds the embedded default from its config: SQLite (or any store URL), in-process bus. */
export async function createEmbedded(config: MirrorConfig, options: EmbeddedOptions = {}): Promise<Embedded> {
  const queue = options.queue ?? createMemoryJobQueue();
  const rpc = options.rpc ?? createMemoryRpc();
  const hub = await createHub(config, { queue, rpc });
  const withAgent = options.withAgent !== false;
  const agent = createAgent({
    config,
    hub: createLocalHubLink(hub, { seesRunDirs: true }),
    queue,
    rpc,
    baseEnv: options.baseEnv ?? { PATH: '/usr/local/bin:/usr/bin:/bin' },
    ...(options.log ? { log: options.log } : {}),
  });
  const life = lifecycle({
    async start() {
      await hub.start({ duties: options.duties ?? withAgent });
      if (withAgent) await agent.start();
    },
    async stop() {
      await agent.stop();
      await hub.stop();
    },
  });
  return {
    hub,
    agent,
    call: (service, method, kwargs, source) => rpc.call(service, method, kwargs, source),
    start: () => life.start(),
    stop: () => life.stop(),
  };
}
