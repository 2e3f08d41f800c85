// Stopping a process with an agent in it is prompt, as an operator does it: `mirror serve`
// (the embedded hub) and a remote `mirror agent` (scaled out on PostgreSQL and RabbitMQ)
// get SIGTERM while a job's pre-method would run for ten minutes (its hook timeout is as
// long) and a dashboard-like watcher holds the hub's event stream open. It exits within
// seconds (timing.killGraceMs is 0.5 s), the job ends failed "agent stopped" (never
// lost), and nothing the hook started is left. Processes are found by a mark this test made.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createClient } from '../../src/sdk/index.js';
import { openStore } from '../../src/store/index.js';
import { startCluster, startMirror, type MirrorProcess } from '../support/cluster.js';
import { fixturePackage, until } from '../support/embedded.js';
import { markedPids, newMark } from '../support/marks.js';
import { rabbitUnavailable } from '../support/rabbit.js';
import { describeIfAvailable } from '../support/required.js';
import { storeBackends } from '../support/stores.js';
import { freshVhost } from '../support/vhost.js';

const HOOKS = `
import { spawn } from 'node:child_process';
export async function hang(ctx) {
  spawn('sleep', ['600'], { stdio: 'ignore', env: { ...process.env, MIRROR_TEST_MARK: ctx.params.mark } });
  await new Promise((resolve) => setTimeout(resolve, 600_000));
}
`;

const postgres = (await storeBackends()).find((b) => b.name === 'postgres');
const services = postgres?.unavailable ?? (await rabbitUnavailable());
const SETS = {
  'packages.allowDirectories': 'true',
  'timing.killGraceMs': '500',
  'timing.hookTimeoutMs': '600000',
};

interface Stoppable {
  /** The hub's address. */
  readonly base: string;
  /** The process with the agent in it, the one stopped. */
  readonly agent: MirrorProcess;
  /** The job's state changes, once the agent has stopped. */
  readonly events: (job: number) => Promise<{ to: string; reason: string }[]>;
}

const deployments: { name: string; unavailable: string | undefined; open: () => Promise<Stoppable> }[] = [
  {
    name: 'embedded (mirror serve)',
    unavailable: undefined,
    async open() {
      const hub = await startMirror(['serve'], { 'http.port': '0', ...SETS });
      const base = (await hub.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1] ?? '';
      return {
        base,
        agent: hub,
        // The hub is gone with its agent: its store says.
        async events(job) {
          const store = await openStore(`sqlite:${join(hub.workdir, 'mirror.db')}`);
          try {
            return await store.listJobEvents(job);
          } finally {
            await store.close();
          }
        },
      };
    },
  },
  {
    name: 'scaled out (mirror agent, its hub on PostgreSQL and RabbitMQ)',
    unavailable: services,
    async open() {
      const cluster = await startCluster({
        store: (await postgres?.freshUrl()) ?? '',
        broker: await freshVhost(),
        sets: SETS,
      });
      const agent = await cluster.startAgent(1, { autorun: 'true' });
      const client = createClient({ baseUrl: cluster.url });
      return { base: cluster.url, agent, events: async (job) => (await client.jobs.get(job)).events };
    },
  },
];

for (const deployment of deployments) {
  describeIfAvailable(`stopping ${deployment.name} during a hook`, deployment.unavailable, () => {
    it('exits within seconds, its job failed "agent stopped", nothing left', async () => {
      const { base, agent, events } = await deployment.open();
      const client = createClient({ baseUrl: base });
      const mark = newMark();
      const dir = await fixturePackage(
        '<ExeArgument id="work" type="shell" value="true" priority="1" premethod="hang"/>',
        HOOKS,
      );
      const c = (await client.packages.registerDirectory(dir)).id;
      const p = (await client.projects.create('stopped')).project.id;
      const para = `<Para><Param name="mark" value="${mark}"/></Para>`;
      await client.projects.putFile(p, 'para.xml', new TextEncoder().encode(para));
      const [job = 0] = (await client.dispatch(p, c)).jobIds;
      await until(
        () => markedPids(mark),
        (pids) => pids.length > 0,
      );
      const watcher = new AbortController();
      const stream = await fetch(`${base}/api/events`, { signal: watcher.signal });
      expect(stream.status).toBe(200);

      const started = performance.now();
      agent.child.kill('SIGTERM');
      await until(
        () => Promise.resolve(agent.exited()),
        (exited) => exited,
        20_000,
      );
      expect(performance.now() - started).toBeLessThan(5_000); // its hook would run for 600 s
      watcher.abort();
      expect(await markedPids(mark)).toEqual([]);
      const states = (await events(job)).map((e) => [e.to, e.reason]);
      expect(states.at(-1)).toEqual(['failed', 'agent stopped']);
      expect(states.map(([to]) => to)).not.toContain('lost');
    }, 60_000);
  });
}
