// A sweep through a hub process and two agent processes survives RabbitMQ and
// PostgreSQL restarting under it: every job finishes, none is lost, none runs twice.
// Owns both services while it runs (test/exclusive/ runs alone).
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import type { MirrorClient } from '../../src/sdk/index.js';
import { movesTo, uploadProject, withScaledOut, type ScaledOut } from '../support/cluster.js';
import { until } from '../support/embedded.js';
import { HEAT2D, PLATE } from '../support/hub.js';
import { describeWithRabbit, rabbitUnavailable } from '../support/rabbit.js';
import { storeBackends } from '../support/stores.js';
import { ensureBrokerRunning, rabbitmqctl, rabbitmqctlUnavailable } from './broker.js';

const run = promisify(execFile);
const postgres = (await storeBackends()).find((b) => b.name === 'postgres');
const why = postgres?.unavailable ?? (await rabbitUnavailable()) ?? (await rabbitmqctlUnavailable());
const TIMING = { 'timing.heartbeatMs': '250', 'timing.agentLostMs': '5000', 'timing.monitorMs': '200' };

/** The plate sweep, each solve slowed to about 4 s (heat2d's delay_ms per iteration). */
async function slowPlate(client: MirrorClient): Promise<{ c: number; p: number }> {
  const c = (await client.packages.registerDirectory(HEAT2D)).id;
  const files: Record<string, string | Uint8Array> = {};
  for (const name of await readdir(PLATE)) files[name] = await readFile(join(PLATE, name));
  const para = (await readFile(join(PLATE, 'para.xml'), 'utf8')).replace(
    '<Param name="delay_ms" value="0"/>',
    '<Param name="delay_ms" value="10"/>',
  );
  expect(para).toContain('<Param name="delay_ms" value="10"/>');
  files['para.xml'] = para;
  return { c, p: await uploadProject(client, 'slow-plate', files) };
}

/** Dispatches the slow sweep on two agents (one slot each); answers once a job runs. */
async function startSweep({ cluster, client, rpc }: ScaledOut): Promise<number[]> {
  await cluster.startAgent(5, { slots: '1' });
  await cluster.startAgent(6, { slots: '1' });
  const { c, p } = await slowPlate(client);
  const reply = await rpc.call('jobdispatch', 'do', { p_id: p, c_id: c }, 'json');
  expect(reply[0]).toBe(0);
  const ids = reply[1] as number[];
  await until(
    () => client.jobs.list({ state: 'running' }),
    (page) => page.jobs.length > 0,
  );
  return ids;
}

/** How many of the jobs have not finished yet: the restart came in the middle of the sweep. */
async function unfinished(client: MirrorClient, ids: readonly number[]): Promise<number> {
  const jobs = await Promise.all(ids.map(async (id) => (await client.jobs.get(id)).job));
  return jobs.filter((j) => j.state !== 'finished').length;
}

/** Waits for the sweep's end; checks every job finished, claimed, started and finished once. */
async function expectSweepDone(client: MirrorClient, ids: readonly number[]): Promise<void> {
  const jobs = await until(
    () => Promise.all(ids.map(async (id) => (await client.jobs.get(id)).job)),
    (js) => js.every((j) => ['finished', 'failed', 'lost', 'killed'].includes(j.state)),
    120_000,
  );
  expect(jobs.map((j) => j.state)).toEqual(ids.map(() => 'finished'));
  for (const id of ids) {
    expect(await movesTo(client, id, 'assigned')).toHaveLength(1);
    expect(await movesTo(client, id, 'running')).toHaveLength(1);
    expect(await movesTo(client, id, 'finished')).toHaveLength(1);
    const detail = await client.jobs.get(id);
    expect(detail.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(Number(detail.data.result['Tmax'])).toBeGreaterThan(0);
  }
}

describeWithRabbit('a scaled-out sweep while its services restart', why, () => {
  it('RabbitMQ stopped and started mid-sweep: hub and agents reconnect, the sweep completes, nothing lost', async () => {
    const store = (await postgres?.freshUrl()) ?? '';
    await withScaledOut(store, TIMING, async (mirror) => {
      const ids = await startSweep(mirror);
      try {
        await rabbitmqctl('stop_app');
        await new Promise((r) => setTimeout(r, 1500));
      } finally {
        await ensureBrokerRunning();
      }
      expect(await unfinished(mirror.client, ids)).toBeGreaterThan(0);
      await expectSweepDone(mirror.client, ids);
      // Per-rid verbs answer again on the restarted broker.
      const rid = (await mirror.client.jobs.get(ids[0] ?? 0)).job.rid;
      expect(
        await mirror.rpc.call(`jobprocessmonitor_${rid}`, 'do', { job_id: ids[0] ?? 0 }, 'json'),
      ).toEqual([0, []]);
      expect(mirror.cluster.transcript()).toMatch(/reconnected/);
    });
  }, 240_000);

  it('PostgreSQL restarted mid-sweep: agents wait for the hub, the sweep completes, no state change lost', async () => {
    const store = (await postgres?.freshUrl()) ?? '';
    const cluster = (await readdir('/etc/postgresql'))[0] ?? '';
    await withScaledOut(store, TIMING, async (mirror) => {
      const ids = await startSweep(mirror);
      await run(
        'pg_ctlcluster',
        ['--skip-systemctl-redirect', cluster, 'main', 'restart', '--mode', 'fast'],
        {
          timeout: 60_000,
        },
      );
      expect(await unfinished(mirror.client, ids)).toBeGreaterThan(0);
      await expectSweepDone(mirror.client, ids);
    });
  }, 240_000);
});
