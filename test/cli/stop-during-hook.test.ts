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
import { fixturePackage, until } from '../support/embedded.js';
import { hubProcessKinds, type HubProcess } from '../support/hub-processes.js';
import { markedPids, newMark } from '../support/marks.js';
import { describeIfAvailable } from '../support/required.js';

const HOOKS = `
import { spawn } from 'node:child_process';
export async function hang(ctx) {
  spawn('sleep', ['600'], { stdio: 'ignore', env: { ...process.env, MIRROR_TEST_MARK: ctx.params.mark } });
  await new Promise((resolve) => setTimeout(resolve, 600_000));
}
`;

const SETS = {
  'packages.allowDirectories': 'true',
  'timing.killGraceMs': '500',
  'timing.hookTimeoutMs': '600000',
};
const deployments = await hubProcessKinds();

/** A job's state changes: from the hub, or from its store when the hub has gone with its agent. */
async function eventsOf(mirror: HubProcess, job: number): Promise<{ to: string; reason: string }[]> {
  if (mirror.agent !== mirror.hub) return (await createClient({ baseUrl: mirror.base }).jobs.get(job)).events;
  const store = await openStore(`sqlite:${join(mirror.hub.workdir, 'mirror.db')}`);
  try {
    return await store.listJobEvents(job);
  } finally {
    await store.close();
  }
}

for (const deployment of deployments) {
  describeIfAvailable(`stopping ${deployment.name} during a hook`, deployment.unavailable, () => {
    it('exits within seconds, its job failed "agent stopped", nothing left', async () => {
      const mirror = await deployment.open(SETS);
      const { base, agent } = mirror;
      try {
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
        const states = (await eventsOf(mirror, job)).map((e) => [e.to, e.reason]);
        expect(states.at(-1)).toEqual(['failed', 'agent stopped']);
        expect(states.map(([to]) => to)).not.toContain('lost');
      } finally {
        await mirror.stop();
      }
    }, 60_000);
  });
}
