import { randomBytes } from 'node:crypto';
import { connect } from 'amqplib';
import { afterAll, expect, it } from 'vitest';
import { createAmqpJobQueue, type AmqpJobQueue } from '../../src/bus/index.js';
import { describeWithRabbit, RABBIT_URL, rabbitUnavailable } from '../support/rabbit.js';

const why = await rabbitUnavailable();
const queue = `mirror-jobs-t-${randomBytes(6).toString('hex')}`;
const opened: AmqpJobQueue[] = [];
const open = async (consume: boolean, prefetch = 2) => {
  const q = await createAmqpJobQueue({ url: RABBIT_URL, queue, consume, prefetch });
  opened.push(q);
  return q;
};

afterAll(async () => {
  for (const q of opened) await q.close();
  if (why === undefined) {
    const connection = await connect(RABBIT_URL);
    const channel = await connection.createChannel();
    await channel.deleteQueue(queue);
    await connection.close();
  }
});

/** Takes from the agents in turn until `count` ids have come or `ms` have passed. */
async function drain(agents: AmqpJobQueue[], count: number, ms = 10_000): Promise<number[][]> {
  const got: number[][] = agents.map(() => []);
  const end = Date.now() + ms;
  while (got.flat().length < count && Date.now() < end) {
    for (const [i, agent] of agents.entries()) got[i]?.push(...(await agent.take(1)));
    await new Promise((r) => setTimeout(r, 5));
  }
  return got;
}

describeWithRabbit('the job queue on RabbitMQ', why, () => {
  it('hands every dispatched id to exactly one agent, holding at most prefetch undelivered', async () => {
    const hub = await open(false);
    const a = await open(true, 2);
    const b = await open(true, 2);
    const ids = Array.from({ length: 30 }, (_, i) => i + 1);
    await hub.enqueue(ids);
    await new Promise((r) => setTimeout(r, 200));
    expect(await a.size()).toBeLessThanOrEqual(2);
    expect(await b.size()).toBeLessThanOrEqual(2);
    const got = await drain([a, b], ids.length);
    expect(got.flat().sort((x, y) => x - y)).toEqual(ids);
    expect(got.every((taken) => taken.length > 0)).toBe(true);
    await Promise.all([a.close(), b.close()]);
  });

  it('gives ids an agent received but never took to another agent when it goes', async () => {
    const hub = await open(false);
    const leaving = await open(true, 5);
    await hub.enqueue([101, 102, 103]);
    for (let i = 0; i < 100 && (await leaving.size()) < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await leaving.size()).toBe(3);
    await leaving.close();
    const staying = await open(true, 5);
    const [got = []] = await drain([staying], 3);
    expect(got.sort()).toEqual([101, 102, 103]);
  });
});
