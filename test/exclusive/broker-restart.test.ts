// A RabbitMQ restart (stop_app, then start_app) under a served RPC, a caller, a hub's job
// queue and an agent's: all of them come back by themselves. Owns the broker while it
// runs, hence test/exclusive/.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAmqpJobQueue, createAmqpRpc, type AmqpJobQueue, type AmqpRpc } from '../../src/bus/index.js';
import { ok, type ServiceDefinition } from '../../src/core/index.js';
import { describeWithRabbit, RABBIT_URL, rabbitUnavailable } from '../support/rabbit.js';
import { deleteOnBroker, ensureBrokerRunning, rabbitmqctl, rabbitmqctlUnavailable } from './broker.js';

const why = (await rabbitUnavailable()) ?? (await rabbitmqctlUnavailable());
const tag = randomBytes(6).toString('hex');
const exchange = `mirror_t_${tag}`;
const jobs = `mirror-jobs-t-${tag}`;
const kept = `br_${tag}_kept`;
const dropped = `br_${tag}_dropped`;

/** `echo(x)` answers `[0, x]`. */
const echo = (name: string): ServiceDefinition => ({
  name,
  methods: { echo: { params: [{ name: 'x', type: 'id' }], call: ({ x }) => Promise.resolve(ok(x)) } },
});

/** Polls until `probe` holds, or fails after `ms`. */
async function until(probe: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describeWithRabbit('Mirror across a RabbitMQ restart (stop_app, start_app)', why, () => {
  // Each part's log lines, to see each of them lose its connection and get it back.
  const logs = { server: [] as string[], client: [] as string[], hub: [] as string[], agent: [] as string[] };
  const log = (part: keyof typeof logs) => (line: string) => logs[part].push(line);
  const all = (text: string) => Object.values(logs).every((lines) => lines.some((l) => l.includes(text)));
  let server: AmqpRpc;
  let client: AmqpRpc;
  let hub: AmqpJobQueue;
  let agent: AmqpJobQueue;
  const taken: number[] = [];

  beforeAll(async () => {
    server = await createAmqpRpc({ url: RABBIT_URL, exchange, log: log('server') });
    client = await createAmqpRpc({ url: RABBIT_URL, exchange, callTimeoutMs: 60_000, log: log('client') });
    hub = await createAmqpJobQueue({
      url: RABBIT_URL,
      queue: jobs,
      consume: false,
      enqueueTimeoutMs: 60_000,
      log: log('hub'),
    });
    agent = await createAmqpJobQueue({
      url: RABBIT_URL,
      queue: jobs,
      consume: true,
      prefetch: 2,
      log: log('agent'),
    });
    await server.serve(echo(kept));
    await server.serve(echo(dropped));
  });

  afterAll(async () => {
    try {
      // Whatever happened above, the broker is left running.
      await ensureBrokerRunning();
    } finally {
      for (const part of [agent, hub, client, server]) await part?.close();
      await deleteOnBroker([`rpc-${kept}`, `rpc-${dropped}`, jobs], [exchange]);
    }
  });

  it('answers calls and holds confirmed jobs before the restart', async () => {
    expect(await client.call(kept, 'echo', { x: 1 })).toEqual([0, 1]);
    await hub.enqueue([1, 2, 3, 4]);
    // Two delivered to the agent (its prefetch), untaken; two still in the queue.
    await until(async () => (await agent.size()) === 2, 'two ids held');
  });

  it('waits through the outage: the call made then is answered, the enqueue confirmed', async () => {
    let during: Promise<unknown> | undefined;
    let enqueued: Promise<void> | undefined;
    try {
      await rabbitmqctl('stop_app');
      await until(() => all('broker connection lost'), 'every connection lost');
      // What the agent held went with its channel; the broker has it back.
      expect(await agent.size()).toBe(0);
      during = client.call(kept, 'echo', { x: 2 });
      enqueued = hub.enqueue([5]);
      // Unserved while the broker is away: unbound when the server is back.
      await server.unserve(dropped);
    } finally {
      await rabbitmqctl('start_app');
    }
    expect(await during).toEqual([0, 2]);
    await enqueued;
    await until(() => all('reconnected'), 'every connection back');
    expect(logs.server[0]).toMatch(/^rpc: broker connection lost \(.+\), reconnecting in \d+ ms$/);
    expect(logs.agent.at(-1)).toBe(`job queue ${jobs}: reconnected`);
  });

  it('reaches the services still served, and refuses the one unserved meanwhile', async () => {
    expect(await client.call(kept, 'echo', { x: 3 })).toEqual([0, 3]);
    expect(await client.call(dropped, 'echo', { x: 4 })).toEqual([-1, `unknown service ${dropped}`]);
    await server.serve(echo(dropped));
    expect(await client.call(dropped, 'echo', { x: 5 })).toEqual([0, 5]);
  });

  it('delivers the jobs confirmed before the restart, and those enqueued during and after it', async () => {
    await hub.enqueue([6]);
    await until(
      async () => (taken.push(...(await agent.take(2))), taken.length >= 6),
      'six ids taken',
      20_000,
    );
    expect(taken.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
