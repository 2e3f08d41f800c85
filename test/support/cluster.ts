// Mirror scaled out, as real processes: a hub (`mirror serve --no-agent`) on
// PostgreSQL and RabbitMQ, and agents (`mirror agent --rid N`) in their own workdirs,
// reaching the hub by its HTTP address only. Every process is stopped after the file,
// forcibly if it does not stop by itself.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { createAmqpRpc, type AmqpRpc } from '../../src/bus/index.js';
import { createClient, type JobDetail, type MirrorClient } from '../../src/sdk/index.js';
import { freshVhost } from './vhost.js';
import { scratchDir } from './scratch.js';

const BIN = fileURLToPath(new URL('../../bin/mirror.mjs', import.meta.url));
export const PROGRAMS_PATH = fileURLToPath(new URL('../fixtures/programs/', import.meta.url));

const running = new Set<MirrorProcess>();
const run = promisify(execFile);
const QUEUE_COLUMNS = ['name', 'messages_ready', 'messages_unacknowledged', 'consumers'];
const vhostOf = (amqpUrl: string) => decodeURIComponent(new URL(amqpUrl).pathname.slice(1));
afterAll(async () => {
  await Promise.all([...running].map((p) => p.stop()));
});

export interface MirrorProcess {
  readonly child: ChildProcess;
  readonly workdir: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Waits until its output matches `pattern`; answers the match. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGINT, then SIGKILL if it has not exited after a few seconds. Idempotent. */
  stop(): Promise<void>;
  /** Whether it has exited. */
  exited(): boolean;
}

/** Starts `mirror <args>` in `workdir` (default a fresh one) with `--set` flags and `env` on top of PATH. */
export async function startMirror(
  args: readonly string[],
  sets: Record<string, string>,
  workdir?: string,
  env: Record<string, string> = {},
): Promise<MirrorProcess> {
  workdir ??= await scratchDir('mirror-proc-');
  const argv = [BIN, ...args, '--workdir', workdir];
  for (const [key, value] of Object.entries(sets)) argv.push('--set', `${key}=${value}`);
  const child = spawn(process.execPath, argv, {
    env: { PATH: `${PROGRAMS_PATH}:${process.env.PATH ?? '/usr/bin:/bin'}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let seen = '';
  let exitCode: number | null | undefined;
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    seen += chunk.toString();
    for (const wake of waiters) wake();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      for (const wake of waiters) wake();
      resolve();
    }),
  );
  let stopping: Promise<void> | undefined;
  const proc: MirrorProcess = {
    child,
    workdir,
    output: () => seen,
    exited: () => exitCode !== undefined,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(seen);
          if (match) done(() => resolve(match));
          else if (exitCode !== undefined)
            done(() => reject(new Error(`exited (${exitCode}) before ${pattern}: ${seen}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms: ${seen}`))),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
    stop() {
      stopping ??= (async () => {
        if (exitCode === undefined) {
          child.kill('SIGINT');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exit;
          clearTimeout(timer);
        }
        running.delete(proc);
      })();
      return stopping;
    },
  };
  running.add(proc);
  return proc;
}

export interface Cluster {
  readonly hub: MirrorProcess;
  /** The hub's HTTP address. */
  readonly url: string;
  readonly broker: string;
  /** The config every process shares (store, broker, exchange, timings). */
  readonly sets: Record<string, string>;
  /** Starts `mirror agent` on `rid`, in `workdir` when given (an agent started again where it ran). */
  startAgent(rid: number, sets?: Record<string, string>, workdir?: string): Promise<MirrorProcess>;
  /** What the hub and every agent printed, for a failing test's message. */
  transcript(): string;
  /** Stops every agent, then the hub. */
  stop(): Promise<void>;
}

/** A hub alone on `store` and `broker`; agents are started with `startAgent`. */
export async function startCluster(options: {
  store: string;
  broker: string;
  sets?: Record<string, string>;
}): Promise<Cluster> {
  const shared = { 'rpc.exchange': 'mirror_com', ...options.sets };
  const hub = await startMirror(
    ['serve', '--no-agent', '--store', options.store, '--broker', options.broker],
    {
      ...shared,
      'http.port': '0',
    },
  );
  const url = (await hub.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1] ?? '';
  const agents: MirrorProcess[] = [];
  return {
    hub,
    url,
    broker: options.broker,
    sets: shared,
    async startAgent(rid, sets = {}, workdir) {
      // As an operator would: the credential the hub generated in its workdir on first start.
      const credential = (await readFile(join(hub.workdir, 'agent-credential'), 'utf8')).trim();
      const agent = await startMirror(
        ['agent', '--rid', String(rid), '--hub', url, '--broker', options.broker],
        {
          ...shared,
          'agent.credential': credential,
          ...sets,
        },
        workdir,
      );
      agents.push(agent);
      await agent.waitFor(new RegExp(`mirror: agent rid ${rid} `));
      return agent;
    },
    async stop() {
      await Promise.all(agents.map((a) => a.stop()));
      await hub.stop();
    },
    transcript: () =>
      [hub, ...agents].map((p) => `--- ${p.child.spawnargs.slice(2, 4).join(' ')}\n${p.output()}`).join('\n'),
  };
}

/** Creates a project on the hub from named contents; answers its id. */
export async function uploadProject(
  client: MirrorClient,
  name: string,
  files: Readonly<Record<string, string | Uint8Array>>,
): Promise<number> {
  const { project } = await client.projects.create(name);
  for (const [file, data] of Object.entries(files)) {
    await client.projects.putFile(
      project.id,
      file,
      typeof data === 'string' ? new TextEncoder().encode(data) : data,
    );
  }
  return project.id;
}

/** The events of a job that moved it to `state`. */
export async function movesTo(
  client: MirrorClient,
  job: number,
  state: string,
): Promise<JobDetail['events']> {
  return (await client.jobs.get(job)).events.filter((e) => e.to === state);
}

export interface ScaledOut {
  readonly cluster: Cluster;
  /** The hub's HTTP API. */
  readonly client: MirrorClient;
  /** A Mirror-side RPC client on the cluster's broker. */
  readonly rpc: AmqpRpc;
}

/**
 * Runs `fn` against a hub alone on `store` and a fresh RabbitMQ virtual host, with
 * directories allowed as packages and `sets` on top. A failure carries what every
 * process printed. Everything is stopped afterwards.
 */
export async function withScaledOut(
  store: string,
  sets: Record<string, string>,
  fn: (mirror: ScaledOut) => Promise<void>,
): Promise<void> {
  const broker = await freshVhost();
  const cluster = await startCluster({
    store,
    broker,
    sets: { 'packages.allowDirectories': 'true', ...sets },
  });
  const rpc = await createAmqpRpc({ url: broker, exchange: cluster.sets['rpc.exchange'] ?? 'mirror_com' });
  try {
    await fn({ cluster, client: createClient({ baseUrl: cluster.url }), rpc });
  } catch (err) {
    // What the broker holds says where a job id went.
    const queues = await run('rabbitmqctl', [
      '-q',
      'list_queues',
      '-p',
      vhostOf(broker),
      ...QUEUE_COLUMNS,
    ]).then(
      (r) => r.stdout,
      (e: unknown) => String(e),
    );
    throw new Error(`${(err as Error).message}\n${cluster.transcript()}\n${queues}`, { cause: err });
  } finally {
    await rpc.close();
    await cluster.stop();
  }
}
