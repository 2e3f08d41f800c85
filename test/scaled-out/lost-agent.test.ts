// An agent process that dies (kill -9) or is cut off (stopped, then continued) in the
// middle of a step, with a hub process on PostgreSQL and RabbitMQ watching its
// heartbeats. Required in CI (MIRROR_REQUIRE_SERVICES=1).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { movesTo, uploadProject, withScaledOut, type ScaledOut } from '../support/cluster.js';
import { fixturePackage, isAlive, until } from '../support/embedded.js';
import { describeWithRabbit, rabbitUnavailable } from '../support/rabbit.js';
import { storeBackends } from '../support/stores.js';

const postgres = (await storeBackends()).find((b) => b.name === 'postgres');
const why = postgres?.unavailable ?? (await rabbitUnavailable());

/** Heartbeat every 250 ms; silent for 2 s means lost. */
const TIMING = { 'timing.heartbeatMs': '250', 'timing.agentLostMs': '2000', 'timing.monitorMs': '100' };
const LOST_AFTER_MS = 2000;

/** A package whose one step starts a child and a setsid'd daemon, then sleeps `{secs}`. */
const SPAWNING = `<ExeArgument id="spawn" type="shell" value="spawns-grandchild.sh {secs}" priority="1"/>`;

/** Dispatches one job of the spawning package with `secs`; answers its id. */
async function dispatchSpawning(
  { client, rpc }: ScaledOut,
  packageId: number,
  secs: number,
): Promise<number> {
  const p = await uploadProject(client, `secs-${secs}`, {
    'para.xml': `<Para><Param name="secs" value="${secs}"/></Para>`,
  });
  const reply = await rpc.call('jobdispatch', 'do', { p_id: p, c_id: packageId }, 'json');
  expect(reply[0]).toBe(0);
  return (reply[1] as number[])[0] ?? 0;
}

/** Runs a claimed job's step by hand on `rid`; answers the pids its log names. */
async function runByHand({ client, rpc }: ScaledOut, rid: number, job: number): Promise<number[]> {
  for (const service of [`jobdirbuild_${rid}`, `jobfilebuild_${rid}`, `jobrun_${rid}`]) {
    expect(await rpc.call(service, 'do', { job_id: job }, 'json')).toEqual([0, []]);
  }
  const path = (await client.jobs.get(job)).job.path ?? '';
  return until(
    async () => {
      const log = await readFile(join(path, '.mirror', 'logs', 'spawn.log'), 'utf8').catch(() => '');
      return [...log.matchAll(/(?:child|escaped|main) (\d+)/g)].map((m) => Number(m[1]));
    },
    (pids) => pids.length === 3,
  );
}

async function stateOf({ client }: ScaledOut, job: number) {
  return (await client.jobs.get(job)).job;
}

const freshStore = async () => (await postgres?.freshUrl()) ?? '';

describeWithRabbit('scaled out: an agent lost in the middle of a step', why, () => {
  it('kill -9: lost within twice the silence limit, its claimed job requeued and run elsewhere once, its running job lost, its steps gone', async () => {
    await withScaledOut(await freshStore(), TIMING, async (mirror) => {
      const { cluster, client } = mirror;
      const five = await cluster.startAgent(5, { autorun: 'false' });
      const c = (await client.packages.registerDirectory(await fixturePackage(SPAWNING))).id;
      const running = await dispatchSpawning(mirror, c, 300);
      const claimed = await dispatchSpawning(mirror, c, 0);
      await until(
        () => Promise.all([stateOf(mirror, running), stateOf(mirror, claimed)]),
        (js) => js.every((j) => j.state === 'assigned' && j.rid === 5),
      );
      const pids = await runByHand(mirror, 5, running);
      for (const pid of pids) expect(await isAlive(pid)).toBe(true);

      five.child.kill('SIGKILL');
      // Its step processes do not outlive it.
      await until(
        () => Promise.all(pids.map((pid) => isAlive(pid))),
        (alive) => alive.every((a) => !a),
      );
      // The hub gives it up: the running job is lost, the claimed one back in the queue.
      await until(
        () => Promise.all([stateOf(mirror, running), stateOf(mirror, claimed)]),
        ([r, q]) => r?.state === 'lost' && q?.state === 'queued',
      );
      const machine = (await client.machines()).find((m) => m.rid === 5);
      expect(machine?.alive).toBe(false);
      const [lost] = await movesTo(client, running, 'lost');
      expect(lost?.reason).toMatch(/^agent lost: rid 5 silent since /);
      expect((lost?.at ?? 0) - (machine?.lastHeartbeat ?? 0)).toBeLessThanOrEqual(2 * LOST_AFTER_MS);

      // Another machine takes the requeued job and runs it; the lost one is not run again.
      await cluster.startAgent(6);
      const done = await until(
        () => stateOf(mirror, claimed),
        (j) => j.state === 'finished',
      );
      expect(done.rid).toBe(6);
      expect(await movesTo(client, claimed, 'running')).toHaveLength(1);
      expect((await movesTo(client, claimed, 'assigned')).map((e) => e.reason)).toEqual([
        'claimed by rid 5',
        'claimed by rid 6',
      ]);
      expect(await stateOf(mirror, running)).toMatchObject({ state: 'lost', rid: 5 });
      expect(await movesTo(client, running, 'running')).toHaveLength(1);
    });
  }, 120_000);

  it('an agent cut off and back: adopts the running job the hub had marked lost, which ran on undisturbed', async () => {
    await withScaledOut(await freshStore(), TIMING, async (mirror) => {
      const { cluster, client, rpc } = mirror;
      const five = await cluster.startAgent(5, { autorun: 'false' });
      const c = (await client.packages.registerDirectory(await fixturePackage(SPAWNING))).id;
      const job = await dispatchSpawning(mirror, c, 300);
      await until(
        () => stateOf(mirror, job),
        (j) => j.state === 'assigned',
      );
      const pids = await runByHand(mirror, 5, job);

      // Frozen: no heartbeat gets through, the hub marks its job lost.
      five.child.kill('SIGSTOP');
      try {
        await until(
          () => stateOf(mirror, job),
          (j) => j.state === 'lost',
        );
      } finally {
        five.child.kill('SIGCONT');
      }
      // Back: its next heartbeat gets through and it takes the job back; the steps ran on.
      const back = await until(
        () => stateOf(mirror, job),
        (j) => j.state === 'running',
      );
      expect(back.rid).toBe(5);
      expect((await movesTo(client, job, 'running')).map((e) => e.reason)).toEqual([
        'step spawn started',
        'agent back: rid 5 still runs it',
      ]);
      for (const pid of pids) expect(await isAlive(pid)).toBe(true);

      expect(await rpc.call('jobkill_5', 'do', { job_id: job }, 'json')).toEqual([0, []]);
      expect(await stateOf(mirror, job)).toMatchObject({ state: 'killed' });
      for (const pid of pids) expect(await isAlive(pid)).toBe(false);
    });
  }, 120_000);
});
