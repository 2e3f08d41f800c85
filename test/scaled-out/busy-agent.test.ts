// A busy agent leaves queued jobs to an idle one: scaled out (a hub process on PostgreSQL
// and RabbitMQ, two agent processes of one slot each), jobs dispatched one after the
// other while one agent runs a long job and the other has nothing to do start on the
// idle one within a second each (RabbitMQ hands deliveries to its consumers in turn, so
// an agent that still consumed while busy would be handed every other one and hold it).
import { expect, it } from 'vitest';
import type { MirrorClient } from '../../src/sdk/index.js';
import { uploadProject, withScaledOut } from '../support/cluster.js';
import { fixturePackage, until } from '../support/embedded.js';
import { describeWithRabbit, rabbitUnavailable } from '../support/rabbit.js';
import { storeBackends } from '../support/stores.js';

const postgres = (await storeBackends()).find((b) => b.name === 'postgres');
const why = postgres?.unavailable ?? (await rabbitUnavailable());
const ROUNDS = 3;

/** Dispatches the one-state project with package `c`; answers the job id. */
async function dispatch(client: MirrorClient, p: number, c: number): Promise<number> {
  const [id] = (await client.dispatch(p, c)).jobIds;
  if (id === undefined) throw new Error('dispatch made no job');
  return id;
}

/** When the job was claimed, ms after it was queued (from its recorded state changes). */
async function claimDelay(client: MirrorClient, id: number): Promise<number> {
  const { events } = await client.jobs.get(id);
  const queued = events.find((e) => e.to === 'queued');
  const assigned = events.find((e) => e.to === 'assigned');
  if (queued === undefined || assigned === undefined) throw new Error(`job ${id}: ${JSON.stringify(events)}`);
  return assigned.at - queued.at;
}

describeWithRabbit('scaled out: a busy agent beside an idle one', why, () => {
  it(`starts each job queued while one agent is busy on the idle one within a second (${ROUNDS} rounds)`, async () => {
    const store = (await postgres?.freshUrl()) ?? '';
    await withScaledOut(store, { 'timing.heartbeatMs': '200' }, async ({ cluster, client }) => {
      await Promise.all([
        cluster.startAgent(5, { slots: '1', autorun: 'true' }),
        cluster.startAgent(6, { slots: '1', autorun: 'true' }),
      ]);
      await until(
        () => client.machines(),
        (ms) => ms.filter((m) => m.alive).length === 2,
      );
      const long = (await client.packages.registerDirectory(await fixturePackage(oneStep('sleep 60')))).id;
      const short = (await client.packages.registerDirectory(await fixturePackage(oneStep('true')))).id;
      const p = await uploadProject(client, 'one state', { 'para.xml': '<Para/>' });

      for (let round = 0; round < ROUNDS; round++) {
        const busy = await dispatch(client, p, long);
        const running = await until(
          async () => (await client.jobs.get(busy)).job,
          (j) => j.state === 'running',
        );
        // One after the other: RabbitMQ offers each to the next consumer in turn, so one of
        // every two would go to the busy agent if it still consumed.
        for (let k = 0; k < 3; k++) {
          const next = await dispatch(client, p, short);
          const done = await until(
            async () => (await client.jobs.get(next)).job,
            (j) => j.state === 'finished',
            30_000,
          );
          expect(done.rid).not.toBe(running.rid);
          expect(await claimDelay(client, next)).toBeLessThan(1000);
        }
        await client.jobs.kill(busy);
        await until(
          async () => (await client.jobs.get(busy)).job.state,
          (s) => s === 'killed',
        );
      }
    });
  }, 180_000);
});

function oneStep(command: string): string {
  return `<ExeArgument id="step" type="shell" priority="1" value="${command}"/>`;
}
