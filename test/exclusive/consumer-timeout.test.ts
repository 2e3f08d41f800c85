// RabbitMQ closes the channel of a consumer that holds a delivery unacked longer than
// consumer_timeout (30 min by default). Lowered to 2 s here for the node as a whole —
// hence test/exclusive/ — to show that it bites, and that Mirror's job queue does not
// hold a delivery that long even while a step runs longer and another job waits.
import { randomBytes } from 'node:crypto';
import { connect } from 'amqplib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAmqpJobQueue, createAmqpRpc } from '../../src/bus/index.js';
import { loadConfig } from '../../src/config/index.js';
import { createEmbedded } from '../../src/embedded/index.js';
import { fixturePackage, scratchDir, stateOf, until } from '../support/embedded.js';
import { describeWithRabbit, RABBIT_URL, rabbitUnavailable } from '../support/rabbit.js';
import { deleteOnBroker, queuesBoundTo, rabbitmqctlUnavailable, setRabbitEnv } from './broker.js';

const why = (await rabbitUnavailable()) ?? (await rabbitmqctlUnavailable());
const tag = randomBytes(6).toString('hex');
const TIMEOUT_MS = 2000;

/** Waits until `lines` hold one matching `pattern`. */
const logged = (lines: string[], pattern: RegExp) =>
  until(
    () => Promise.resolve(lines.some((l) => pattern.test(l))),
    (found) => found,
    30_000,
  );

describeWithRabbit(`RabbitMQ's consumer_timeout lowered to ${TIMEOUT_MS} ms`, why, () => {
  const queues: string[] = [];
  const exchanges: string[] = [];

  beforeAll(async () => {
    // Read by each channel when it opens: only channels opened from now on get it.
    await setRabbitEnv('consumer_timeout', String(TIMEOUT_MS));
    // 3.10 checks the timeout on each channel's tick, every channel_tick_interval (60 s).
    await setRabbitEnv('channel_tick_interval', '1000');
  });

  afterAll(async () => {
    try {
      await setRabbitEnv('consumer_timeout', '1800000');
      await setRabbitEnv('channel_tick_interval', '60000');
    } finally {
      await deleteOnBroker(queues, exchanges);
    }
  });

  it('closes the channel of a consumer holding a delivery unacked longer (the lowering bites)', async () => {
    const queue = `mirror-t-ct-${tag}-raw`;
    queues.push(queue);
    const connection = await connect(RABBIT_URL);
    try {
      const channel = await connection.createChannel();
      const closedBy = new Promise<Error>((resolve) => channel.on('error', resolve));
      await channel.assertQueue(queue, { durable: false });
      await channel.consume(queue, () => {}, { noAck: false });
      const started = Date.now();
      channel.sendToQueue(queue, Buffer.from('held'));
      const err = await closedBy;
      expect(err.message).toMatch(/PRECONDITION_FAILED - delivery acknowledgement on channel \d+ timed out/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS);
    } finally {
      await connection.close().catch(() => {});
    }
  });

  it('would close a job queue channel holding an untaken id longer; the queue comes back and gets it again', async () => {
    const name = `mirror-jobs-t-${tag}-held`;
    queues.push(name);
    const lines: string[] = [];
    // Hands back only after 60 s: the broker's timeout comes first.
    const agent = await createAmqpJobQueue({
      url: RABBIT_URL,
      queue: name,
      consume: true,
      log: (l) => lines.push(l),
    });
    const hub = await createAmqpJobQueue({ url: RABBIT_URL, queue: name, consume: false });
    try {
      await hub.enqueue([1]);
      await logged(lines, /broker connection lost \(.*delivery acknowledgement on channel \d+ timed out/);
      await logged(lines, /reconnected$/);
      await until(
        () => agent.size(),
        (n) => n === 1,
      );
      expect(await agent.take(1)).toEqual([1]);
    } finally {
      await hub.close();
      await agent.close();
    }
  });

  it('runs a step longer than it with a second job waiting, and the queue keeps its channel', async () => {
    const exchange = `mirror_t_${tag}`;
    const jobs = `mirror-jobs-t-${tag}`;
    exchanges.push(exchange);
    queues.push(jobs);
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const rpc = await createAmqpRpc({ url: RABBIT_URL, exchange, log });
    // One slot, so the second job is delivered and waits while the first one runs.
    const queue = await createAmqpJobQueue({
      url: RABBIT_URL,
      queue: jobs,
      consume: true,
      prefetch: 1,
      holdMs: TIMEOUT_MS / 2,
      log,
    });
    const workdir = await scratchDir('mirror-consumer-timeout-');
    const config = loadConfig({
      env: {},
      flags: { workdir, rid: '7', autorun: 'true', slots: '1', 'timing.monitorMs': '50' },
    });
    const mirror = await createEmbedded(config, {
      rpc,
      queue,
      baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    try {
      await mirror.start();
      // The services it serves, to delete their queues afterwards (unserving unbinds them).
      queues.push(...(await queuesBoundTo(exchange)));
      const pkg = await fixturePackage(`<ExeArgument id="s" type="shell" value="sleep 6" priority="1"/>`);
      const c = (await mirror.hub.calcPackages.add({ dir: pkg })).id;
      const { project } = await mirror.hub.projects.create('long', [
        { name: 'para.xml', data: new TextEncoder().encode('<Para/>') },
      ]);
      const dispatch = async () => {
        const reply = await mirror.call('jobdispatch', 'do', { p_id: project.id, c_id: c });
        expect(reply[0]).toBe(0);
        return (reply[1] as number[])[0] ?? 0;
      };
      const first = await dispatch();
      await until(
        () => stateOf(mirror, first),
        (s) => s === 'running',
      );
      const second = await dispatch();
      for (const job of [first, second]) {
        await until(
          () => stateOf(mirror, job),
          (s) => s === 'finished' || s === 'failed',
          30_000,
        );
        expect(await stateOf(mirror, job)).toBe('finished');
      }
      // Neither the job queue's channel nor the RPC's was ever closed by the broker.
      expect(lines).toEqual([]);
    } finally {
      await mirror.stop();
      await queue.close();
      await rpc.close();
    }
  }, 60_000);
});
