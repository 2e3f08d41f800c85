// The hub as an attacker meets it, in each deployment Mirror offers: embedded (SQLite,
// in-process bus) and with a broker (PostgreSQL, RabbitMQ), each with its own agent,
// a token, a calc package, a project and a dispatched sweep waiting for manual calls,
// its gateway listening on a real socket. Everything is stopped after the file.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll } from 'vitest';
import { createAmqpJobQueue, createAmqpRpc } from '../../src/bus/index.js';
import { loadConfig } from '../../src/config/index.js';
import { createEmbedded, type Embedded } from '../../src/embedded/index.js';
import { createGateway } from '../../src/hub/http/index.js';
import { HEAT2D, PLATE } from '../support/hub.js';
import { rabbitUnavailable } from '../support/rabbit.js';
import { scratchDir } from '../support/scratch.js';
import { storeBackends } from '../support/stores.js';
import { freshVhost } from '../support/vhost.js';

export const USER_TOKEN = 'security-suite-user-token';

/** What the fixture made: ids an attacker would aim at. */
export interface Fixture {
  readonly projectId: number;
  readonly packageId: number;
  readonly dispatchId: number;
  /** A job with its run directory built (dirbuild done), on rid 1. */
  readonly jobId: number;
  /** The sha256 of a stored blob (the calc package's zip). */
  readonly blob: string;
  /** A directory outside every run directory, with a file in it, that nothing may touch. */
  readonly victim: string;
}

/** One request as the gateway answered it. */
export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** Whether it reached its route's handler (past every guard). */
  readonly handled: boolean;
}

export interface Deployment {
  readonly name: string;
  readonly mirror: Embedded;
  readonly app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly port: number;
  readonly agentCredential: string;
  readonly fixture: Fixture;
  /** Every request the gateway answered since the last `clear()`. */
  readonly seen: Seen[];
}

export interface DeploymentKind {
  readonly name: string;
  /** Why it cannot run here, or undefined. */
  readonly unavailable: string | undefined;
  /** Opens one; `token` is the user token (default USER_TOKEN; '' for the default token-less hub). */
  open(options?: { token?: string }): Promise<Deployment>;
}

const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

/** The deployments of this file. Call once at its top level (it registers the cleanup). */
export async function deploymentKinds(): Promise<DeploymentKind[]> {
  const postgres = (await storeBackends()).find((b) => b.name === 'postgres');
  const rabbit = await rabbitUnavailable();
  return [
    {
      name: 'embedded (SQLite, in-process bus)',
      unavailable: undefined,
      open: (options) => openDeployment('embedded (SQLite, in-process bus)', { ...options }),
    },
    {
      name: 'with a broker (PostgreSQL, RabbitMQ)',
      unavailable: postgres?.unavailable ?? rabbit,
      async open(options) {
        const broker = await freshVhost();
        const store = (await postgres?.freshUrl()) ?? '';
        return openDeployment('with a broker (PostgreSQL, RabbitMQ)', { ...options, store, broker });
      },
    },
  ];
}

async function openDeployment(
  name: string,
  parts: { store?: string; broker?: string; token?: string },
): Promise<Deployment> {
  const workdir = await scratchDir('mirror-security-');
  const config = loadConfig({
    env: {},
    flags: {
      workdir,
      autorun: 'false',
      'http.token': parts.token ?? USER_TOKEN,
      'timing.killGraceMs': '300',
      ...(parts.store !== undefined ? { store: parts.store } : {}),
    },
  });
  const broker = parts.broker;
  const rpc = broker !== undefined ? await createAmqpRpc({ url: broker, exchange: 'mirror_com' }) : undefined;
  const queue =
    broker !== undefined
      ? await createAmqpJobQueue({ url: broker, queue: 'mirror-jobs', consume: true, prefetch: 4 })
      : undefined;
  const mirror = await createEmbedded(config, {
    baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    ...(rpc ? { rpc } : {}),
    ...(queue ? { queue } : {}),
  });
  stops.push(async () => {
    await mirror.stop();
    await queue?.close();
    await rpc?.close();
  });
  await mirror.start();
  const seen: Seen[] = [];
  const app = await createGateway(mirror.hub);
  // What reached a route's handler (past every guard), and what every request was answered.
  app.addHook('preHandler', (req, _reply, done) => {
    (req as { mirrorHandled?: boolean }).mirrorHandled = true;
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const handled = (req as { mirrorHandled?: boolean }).mirrorHandled === true;
    seen.push({ method: req.method, url: req.url, status: reply.statusCode, handled });
    done();
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  stops.push(() => app.close());
  mirror.hub.listeningAt(base);
  return {
    name,
    mirror,
    app,
    base,
    port: Number(new URL(base).port),
    agentCredential: mirror.hub.agentCredential,
    fixture: await makeFixture(mirror),
    seen,
  };
}

async function makeFixture(mirror: Embedded): Promise<Fixture> {
  const { hub } = mirror;
  const added = await hub.calcPackages.add({ dir: HEAT2D });
  const projectId = (await hub.projects.createFromDirectory('plate', PLATE)).project.id;
  const ids = await hub.dispatch({ projectId, packageId: added.id, paraName: 'para.xml' });
  const jobId = ids[0] ?? 0;
  const dispatchId = (await hub.store.listDispatches())[0]?.id ?? 0;
  const deadline = Date.now() + 20_000;
  while ((await hub.store.getJob(jobId))?.state !== 'assigned') {
    if (Date.now() > deadline) throw new Error(`job ${jobId} was never claimed`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const built = await mirror.call('jobdirbuild_1', 'do', { job_id: jobId, force: 0 });
  if (built[0] !== 0) throw new Error(`dirbuild failed: ${String(built[1])}`);
  const victim = await scratchDir('mirror-security-victim-');
  await mkdir(join(victim, 'keep'));
  await writeFile(join(victim, 'keep', 'precious.txt'), 'root:x:0:0:precious\n');
  return { projectId, packageId: added.id, dispatchId, jobId, blob: added.sha256, victim };
}
