// Mirror in each deployment it is offered in, seen from outside through its HTTP
// address: embedded (SQLite, in-process bus, an agent in the hub's process), with a
// broker (the same on PostgreSQL and RabbitMQ), and scaled out (a `mirror serve
// --no-agent` hub process on PostgreSQL and RabbitMQ, with a `mirror agent` process on
// the rid asked for). One suite runs over all of them; each skips with a reason where its
// services are missing (a failure when MIRROR_REQUIRE_SERVICES=1). Everything is stopped
// after the file.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll } from 'vitest';
import { createAgent } from '../../src/agent/index.js';
import { createAmqpJobQueue, createAmqpRpc } from '../../src/bus/index.js';
import { loadConfig } from '../../src/config/index.js';
import { createEmbedded, type Embedded } from '../../src/embedded/index.js';
import { createLocalHubLink } from '../../src/hub/index.js';
import { createGateway } from '../../src/hub/http/index.js';
import { createClient, type MirrorClient } from '../../src/sdk/index.js';
import { startCluster } from './cluster.js';
import { fixturePackage } from './embedded.js';
import { rabbitUnavailable } from './rabbit.js';
import { slurmUnavailable, startSlurmCluster, type SlurmCluster } from './slurm.js';
import { scratchDir } from './scratch.js';
import { storeBackends } from './stores.js';
import { freshVhost } from './vhost.js';

export interface DeploymentOptions {
  /** The agent's rid (default 1). */
  readonly rid?: number;
  /** Autorun on the agent (default off: jobs wait for the seed calls). */
  readonly autorun?: boolean;
  /** The user token ('' for none; default none). */
  readonly token?: string;
  /** Config keys on top, for the hub and the agent alike. */
  readonly sets?: Readonly<Record<string, string>>;
  /** Start the agent with the hub (default); false leaves the hub alone until `startAgent`. */
  readonly agent?: boolean;
}

/** A running Mirror, as a user reaches it. */
export interface Deployment {
  readonly name: string;
  /** The hub's HTTP address, `http://127.0.0.1:<port>`. */
  readonly base: string;
  readonly rid: number;
  readonly token: string;
  /** The typed client of that address, with the token. */
  readonly client: MirrorClient;
  /** The broker's address (its own virtual host), for deployments with one. */
  readonly broker?: string;
  /** The embedded parts, for deployments whose hub runs in this process (not scaled out). */
  readonly inProcess?: { readonly mirror: Embedded; readonly app: FastifyInstance };
  /** GET a path on the hub (the token as a header), answering its JSON. */
  readonly get: (path: string) => Promise<unknown>;
  /** Registers a calc package from a directory of this host (the hub's or through a zip). */
  addPackage(dir: string): Promise<number>;
  /** Starts the agent, for a deployment opened with `agent: false`. */
  startAgent(): Promise<void>;
  /** The cluster its agent submits to, on Slurm. */
  readonly slurm?: SlurmCluster;
}

export interface DeploymentKind {
  readonly name: string;
  /** Why it cannot run here, or undefined. */
  readonly unavailable: string | undefined;
  open(options?: DeploymentOptions): Promise<Deployment>;
}

const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

export const EMBEDDED = 'embedded (SQLite, in-process bus)';
export const WITH_BROKER = 'with a broker (PostgreSQL, RabbitMQ)';
export const SCALED_OUT = 'scaled out (a hub process, PostgreSQL, RabbitMQ, a remote agent)';
export const ON_SLURM = 'on Slurm (embedded, the agent submitting each step to a single-node Slurm cluster)';

/** The deployments, for this file (call once at its top level: it registers the cleanup). */
export async function deploymentKinds(
  which: readonly string[] = [EMBEDDED, WITH_BROKER, SCALED_OUT, ON_SLURM],
) {
  const postgres = (await storeBackends()).find((b) => b.name === 'postgres');
  const services = postgres?.unavailable ?? (await rabbitUnavailable());
  const all: DeploymentKind[] = [
    { name: EMBEDDED, unavailable: undefined, open: (options = {}) => openInProcess(EMBEDDED, options, {}) },
    {
      name: WITH_BROKER,
      unavailable: services,
      open: async (options = {}) =>
        openInProcess(WITH_BROKER, options, {
          store: (await postgres?.freshUrl()) ?? '',
          broker: await freshVhost(),
        }),
    },
    {
      name: SCALED_OUT,
      unavailable: services,
      open: async (options = {}) =>
        openScaledOut(options, (await postgres?.freshUrl()) ?? '', await freshVhost()),
    },
    {
      name: ON_SLURM,
      unavailable: slurmUnavailable(),
      open: async (options = {}) => {
        const cluster = await startSlurmCluster();
        stops.push(() => cluster.stop());
        const sets = {
          'executor.kind': 'slurm',
          'slurm.conf': cluster.conf,
          'slurm.pollMs': '200',
          ...options.sets,
        };
        return { ...(await openInProcess(ON_SLURM, { ...options, sets }, {})), slurm: cluster };
      },
    },
  ];
  return all.filter((kind) => which.includes(kind.name));
}

function common(
  name: string,
  base: string,
  options: DeploymentOptions,
): Omit<Deployment, 'addPackage' | 'inProcess' | 'startAgent' | 'broker'> {
  const token = options.token ?? '';
  const client = createClient({ baseUrl: base, ...(token !== '' ? { token } : {}) });
  const headers: Record<string, string> = token !== '' ? { authorization: `Bearer ${token}` } : {};
  return {
    name,
    base,
    rid: options.rid ?? 1,
    token,
    client,
    get: async (path) => (await fetch(`${base}${path}`, { headers })).json(),
  };
}

async function openInProcess(
  name: string,
  options: DeploymentOptions,
  parts: { store?: string; broker?: string },
): Promise<Deployment> {
  const workdir = await scratchDir('mirror-deployment-');
  const config = loadConfig({
    env: {},
    flags: {
      workdir,
      rid: String(options.rid ?? 1),
      autorun: String(options.autorun ?? false),
      'http.token': options.token ?? '',
      'timing.killGraceMs': '300',
      'timing.monitorMs': '100',
      ...(parts.store !== undefined ? { store: parts.store } : {}),
      ...options.sets,
    },
  });
  const { broker } = parts;
  const rpc = broker !== undefined ? await createAmqpRpc({ url: broker, exchange: 'mirror_com' }) : undefined;
  const queue =
    broker !== undefined
      ? await createAmqpJobQueue({ url: broker, queue: 'mirror-jobs', consume: true, prefetch: config.slots })
      : undefined;
  const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  const mirror = await createEmbedded(config, {
    baseEnv,
    withAgent: options.agent !== false,
    duties: true,
    ...(rpc ? { rpc } : {}),
    ...(queue ? { queue } : {}),
  });
  stops.push(async () => {
    await mirror.stop();
    await queue?.close();
    await rpc?.close();
  });
  await mirror.start();
  const app = await createGateway(mirror.hub);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  stops.push(() => app.close());
  mirror.hub.listeningAt(base);
  return {
    ...common(name, base, options),
    ...(broker !== undefined ? { broker } : {}),
    inProcess: { mirror, app },
    addPackage: async (dir) => (await mirror.hub.calcPackages.add({ dir })).id,
    async startAgent() {
      const hub = mirror.hub;
      const agent = createAgent({
        config,
        hub: createLocalHubLink(hub, { seesRunDirs: true }),
        queue: hub.queue,
        rpc: hub.rpc,
        baseEnv,
      });
      stops.push(() => agent.stop());
      await agent.start();
    },
  };
}

async function openScaledOut(options: DeploymentOptions, store: string, broker: string): Promise<Deployment> {
  const token = options.token ?? '';
  const sets: Record<string, string> = {
    'packages.allowDirectories': 'true',
    'timing.killGraceMs': '300',
    'timing.monitorMs': '100',
    ...(token !== '' ? { 'http.token': token } : {}),
    ...options.sets,
  };
  const cluster = await startCluster({ store, broker, sets });
  stops.push(() => cluster.stop());
  const rid = options.rid ?? 1;
  const startAgent = async () => {
    await cluster.startAgent(rid, { autorun: String(options.autorun ?? false) });
  };
  if (options.agent !== false) await startAgent();
  const deployment = common(SCALED_OUT, cluster.url, options);
  return {
    ...deployment,
    broker,
    addPackage: async (dir) => (await deployment.client.packages.registerDirectory(dir)).id,
    startAgent,
  };
}

/** Creates a project on the hub from every file of a flat directory of this host; answers its id. */
export async function uploadDirectory(client: MirrorClient, name: string, dir: string): Promise<number> {
  const { project } = await client.projects.create(name);
  for (const file of (await readdir(dir, { withFileTypes: true })).filter((f) => f.isFile())) {
    await client.projects.putFile(project.id, file.name, await readFile(join(dir, file.name)));
  }
  return project.id;
}

/**
 * Registers a package of `steps` (adapter elements), makes project `name` with an empty
 * para file and dispatches it: answers the one job's id.
 */
export async function dispatchOneJob(d: Deployment, steps: string, name: string): Promise<number> {
  const packageId = await d.addPackage(await fixturePackage(steps));
  const projectId = (await d.client.projects.create(name)).project.id;
  await d.client.projects.putFile(projectId, 'para.xml', new TextEncoder().encode('<Para/>'));
  const [job = 0] = (await d.client.dispatch(projectId, packageId)).jobIds;
  return job;
}

/** Polls a job's state over the API until `done` holds of it. */
export async function untilState(
  client: MirrorClient,
  jobId: number,
  done: (state: string) => boolean,
  timeoutMs = 30_000,
): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const state = (await client.jobs.get(jobId)).job.state;
    if (done(state)) return state;
    if (Date.now() > end) throw new Error(`job ${jobId} stayed ${state}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
