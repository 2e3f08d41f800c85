// Mirror scaled out as it runs in production: a hub process on PostgreSQL and
// RabbitMQ, and two agent processes (rids 5 and 6) in their own workdirs that reach
// the hub by HTTP only. Required in CI (MIRROR_REQUIRE_SERVICES=1).
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { MirrorClient } from '../../src/sdk/index.js';
import { movesTo, uploadProject, withScaledOut } from '../support/cluster.js';
import { until } from '../support/embedded.js';
import { HEAT2D, PLATE } from '../support/hub.js';
import { kombuMissing, pythonCalls } from '../support/python-client.js';
import { rabbitUnavailable, describeWithRabbit } from '../support/rabbit.js';
import { storeBackends } from '../support/stores.js';

const postgres = (await storeBackends()).find((b) => b.name === 'postgres');
const why = postgres?.unavailable ?? (await rabbitUnavailable()) ?? kombuMissing;

/** Registers heat2d (from the hub's disk) and the plate project (uploaded); answers their ids. */
async function registerPlate(client: MirrorClient): Promise<{ c: number; p: number }> {
  const c = (await client.packages.registerDirectory(HEAT2D)).id;
  const files: Record<string, Uint8Array> = {};
  for (const name of await readdir(PLATE)) files[name] = await readFile(join(PLATE, name));
  return { c, p: await uploadProject(client, 'plate', files) };
}

describeWithRabbit('scaled out: a hub and two agent processes', why, () => {
  it('runs a sweep with each job run exactly once, and per-rid calls reach the right agent', async () => {
    const store = (await postgres?.freshUrl()) ?? '';
    const timing = { 'timing.heartbeatMs': '200', 'timing.monitorMs': '100' };
    await withScaledOut(store, timing, async ({ cluster, client, rpc }) => {
      const agents = await Promise.all([
        cluster.startAgent(5, { slots: '1' }),
        cluster.startAgent(6, { slots: '1' }),
      ]);
      await until(
        () => client.machines(),
        (ms) => ms.filter((m) => m.alive).length === 2,
      );
      const { c, p } = await registerPlate(client);
      const reply = await rpc.call('jobdispatch', 'do', { p_id: p, c_id: c }, 'json');
      expect(reply[0]).toBe(0);
      const ids = reply[1] as number[];
      expect(ids).toHaveLength(4);

      const jobs = await until(
        () => Promise.all(ids.map(async (id) => (await client.jobs.get(id)).job)),
        (js) => js.every((j) => ['finished', 'failed'].includes(j.state)),
        90_000,
      );
      expect(jobs.map((j) => j.state)).toEqual(['finished', 'finished', 'finished', 'finished']);
      // Both machines took work (one slot each), in their own workdirs.
      expect(new Set(jobs.map((j) => j.rid))).toEqual(new Set([5, 6]));
      for (const job of jobs) {
        const agent = agents[job.rid === 5 ? 0 : 1];
        expect(job.path?.startsWith(agent.workdir)).toBe(true);
        // Exactly once: one claim, one start of the steps, one finish.
        expect(await movesTo(client, job.id, 'assigned')).toHaveLength(1);
        expect(await movesTo(client, job.id, 'running')).toHaveLength(1);
        expect(await movesTo(client, job.id, 'finished')).toHaveLength(1);
        const data = (await client.jobs.get(job.id)).data;
        expect(Number(data.result['Tmax'])).toBeGreaterThan(0);
      }

      // The original's Python snippet (a client speaking nameko's protocol on kombu).
      const first = jobs[0]?.id ?? 0;
      const firstRid = jobs[0]?.rid ?? 0;
      const python = await pythonCalls(cluster.broker, 'mirror_com', [
        { service: 'job', method: 'getrid', kwargs: { job_id: first } },
        { service: `jobprocessmonitor_${firstRid}`, method: 'do', kwargs: { job_id: first } },
        { service: 'jobgetdata', method: 'do', kwargs: { job_id: first } },
      ]);
      expect(python.slice(0, 2)).toEqual([{ result: [0, firstRid] }, { result: [0, []] }]);
      const [code, data] = (python[2] as { result: [number, { result: Record<string, string> }] }).result;
      expect(code).toBe(0);
      expect(Number(data.result['Tmax'])).toBeGreaterThan(0);
      expect(data.result['summary']).toBe(`${cluster.url}/files/jobs/${first}/result/summary`);

      // Per-rid calls: the owner answers; the other machine refuses, naming both rids.
      for (const job of jobs) {
        const other = job.rid === 5 ? 6 : 5;
        expect(await rpc.call(`jobprocessmonitor_${job.rid}`, 'do', { job_id: job.id }, 'json')).toEqual([
          0,
          [],
        ]);
        expect(await rpc.call(`jobprocessmonitor_${other}`, 'do', { job_id: job.id }, 'json')).toEqual([
          -1,
          `job ${job.id} is on rid ${job.rid}, not on rid ${other}`,
        ]);
        expect(await rpc.call('job', 'getrid', { job_id: job.id }, 'json')).toEqual([0, job.rid]);
      }
    });
  }, 180_000);
});
