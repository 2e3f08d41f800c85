import { randomBytes, randomUUID } from 'node:crypto';
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAmqpJobQueue, createAmqpRpc, type AmqpRpc } from '../../src/bus/index.js';
import { errorOf } from '../../src/core/index.js';
import { loadConfig } from '../../src/config/index.js';
import { createEmbedded, type Embedded } from '../../src/embedded/index.js';
import { HEAT2D, PLATE } from '../support/hub.js';
import { describeWithRabbit, RABBIT_URL, rabbitUnavailable, serviceQueues } from '../support/rabbit.js';
import { scratchDir } from '../support/scratch.js';
import { kombuMissing, pythonCalls, type PythonCall } from '../support/python-client.js';

const why = await rabbitUnavailable();
// Names of our own: an exchange per test file, a rid no other test serves.
const exchange = `mirror_t_${randomBytes(6).toString('hex')}`;
const rid = 9000 + Math.floor(Math.random() * 900);

describeWithRabbit('nameko RPC over RabbitMQ', why, () => {
  let server: AmqpRpc;
  let client: AmqpRpc;
  let mirror: Embedded;
  let raw: ChannelModel;
  let ch: Channel;
  let replies: Map<string, ConsumeMessage>;
  let replyKey: string;

  beforeAll(async () => {
    server = await createAmqpRpc({ url: RABBIT_URL, exchange });
    client = await createAmqpRpc({ url: RABBIT_URL, exchange, callTimeoutMs: 5000 });
    const workdir = await scratchDir('mirror-amqp-');
    const config = loadConfig({ env: {}, flags: { workdir, rid: String(rid), autorun: 'false' } });
    mirror = await createEmbedded(config, { rpc: server });
    await mirror.start();
    const c = (await mirror.hub.calcPackages.add({ dir: HEAT2D })).id;
    const p = (await mirror.hub.projects.createFromDirectory('plate', PLATE)).project.id;
    await mirror.hub.projects.putFile(p, {
      name: 'piflow.xml',
      data: await mirror.hub.projects.readFile(p, 'para.xml'),
    });
    expect([c, p]).toEqual([1, 1]);

    // A bare client doing exactly what nameko's ClusterRpcProxy does on the wire.
    raw = await connect(RABBIT_URL, { noDelay: true });
    ch = await raw.createChannel();
    replyKey = randomUUID();
    const { queue } = await ch.assertQueue(`rpc.reply-standalone_rpc_proxy-${replyKey}`, {
      durable: true,
      arguments: { 'x-expires': 300_000 },
    });
    await ch.bindQueue(queue, exchange, replyKey);
    replies = new Map();
    await ch.consume(queue, (msg) => msg && replies.set(String(msg.properties.correlationId), msg), {
      noAck: true,
    });
  });

  afterAll(async () => {
    await mirror?.stop();
    await client?.close();
    await server?.close();
    if (ch) {
      for (const name of serviceQueues(rid)) {
        await ch.deleteQueue(name);
      }
      await ch.deleteQueue(`rpc.reply-standalone_rpc_proxy-${replyKey}`);
      await ch.deleteExchange(exchange);
      await raw.close();
    }
  });

  /** Publishes a request as nameko's client does and waits for the reply message. */
  async function namekoCall(routingKey: string, body: string): Promise<ConsumeMessage> {
    const correlationId = randomUUID();
    ch.publish(exchange, routingKey, Buffer.from(body), {
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      deliveryMode: 2,
      priority: 0,
      correlationId,
      replyTo: replyKey,
      headers: { 'nameko.call_id_stack': [`standalone_rpc_proxy.call.${randomUUID()}`] },
    });
    for (let i = 0; i < 500; i++) {
      const reply = replies.get(correlationId);
      if (reply) return reply;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no reply to ${routingKey}`);
  }

  it('answers a nameko request with the reply nameko itself sends', async () => {
    const reply = await namekoCall(
      'jobdispatch.do',
      '{"args": [], "kwargs": {"p_id": 1, "c_id": 1, "para_name": "piflow.xml"}}',
    );
    expect(reply.fields.exchange).toBe(exchange);
    expect(reply.fields.routingKey).toBe(replyKey);
    expect(reply.properties).toMatchObject({
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      deliveryMode: 2,
      priority: 0,
      headers: {},
    });
    expect(JSON.parse(reply.content.toString())).toEqual({ result: [0, [1, 2, 3, 4]], error: null });
    const positional = await namekoCall('job.getrid', '{"args": [99], "kwargs": {}}');
    // A refusal also carries Mirror's own error as data (nameko's clients ignore the key).
    expect(JSON.parse(positional.content.toString())).toEqual({
      result: [-1, 'job is not existed , job : 99'],
      error: null,
      mirror_error: { code: 'JOB_NOT_FOUND', message: 'job is not existed , job : 99', params: { job: 99 } },
    });
  });

  it('answers nameko error objects for an unknown method, bad arguments and a malformed body', async () => {
    const body = async (key: string, text: string) =>
      JSON.parse((await namekoCall(key, text)).content.toString()) as unknown;
    expect(await body('jobdispatch.nosuch', '{"args": [], "kwargs": {"a": 1}}')).toEqual({
      result: null,
      error: {
        exc_type: 'MethodNotFound',
        exc_path: 'nameko.exceptions.MethodNotFound',
        exc_args: ['nosuch'],
        value: 'nosuch',
      },
      mirror_error: {
        code: 'METHOD_UNKNOWN',
        message: 'unknown method nosuch of service jobdispatch',
        params: { method: 'nosuch', service: 'jobdispatch' },
      },
    });
    expect(await body('job.getrid', '{"args": [], "kwargs": {"job_id": 1, "bogus": 2}}')).toMatchObject({
      result: null,
      error: {
        exc_type: 'IncorrectSignature',
        exc_path: 'nameko.exceptions.IncorrectSignature',
        exc_args: ['getrid() unknown argument bogus'],
      },
      mirror_error: { code: 'ARG_UNKNOWN', message: 'unknown argument bogus' },
    });
    expect(await body('job.getrid', '{"kwargs": {"job_id": 1}}')).toMatchObject({
      error: { exc_type: 'MalformedRequest', exc_args: ['Message missing `args` or `kwargs`'] },
    });
    expect(await body('job.getrid', '{"args": [], "kwargs": {"job_id": "one"}}')).toMatchObject({
      result: [-1, 'argument job_id: "one" is not a positive integer'],
      error: null,
      mirror_error: { code: 'ARG_INVALID' },
    });
  });

  it("serves the per-rid verbs under the machine's rid, and Mirror's own client calls them", async () => {
    expect(await client.call('job', 'getrid', { job_id: 1 })).toEqual([0, rid]);
    expect(await client.call(`jobdirbuild_${rid}`, 'do', { job_id: 1, force: 0 })).toEqual([0, []]);
    expect(await client.call(`jobkill_${rid}`, 'do', { job_id: 1 })).toEqual([
      -1,
      'job not running , jobid : 1',
    ]);
    // Mirror's own client gets the same error as in-process, code included.
    const unknown = await client.call('jobdispatch', 'nosuch', {});
    expect(unknown).toEqual([-1, 'unknown method nosuch of service jobdispatch']);
    expect(errorOf(unknown)?.code).toBe('METHOD_UNKNOWN');
    const refused = await client.call(`jobkill_${rid}`, 'do', { job_id: 1 });
    expect(errorOf(refused)?.code).toBe('JOB_NOT_RUNNING');
    // /proxy's text arguments are read as text over the bus too.
    expect(await client.call('job', 'getrid', { job_id: '1' }, 'text')).toEqual([0, rid]);
    expect(await client.call('job', 'getrid', { job_id: '1' }, 'json')).toEqual([
      -1,
      'argument job_id: "1" is not a positive integer',
    ]);
  });

  it('fails a call to a service nobody serves at once, not by timeout', async () => {
    // Refused by the broker (the mandatory publish comes back), so not RPC_TIMEOUT's message.
    expect(await client.call('jobrun_1', 'do', { job_id: 1 })).toEqual([-1, 'unknown service jobrun_1']);
    await server.unserve('jobgetdata');
    expect(await client.call('jobgetdata', 'do', { job_id: 1 })).toEqual([-1, 'unknown service jobgetdata']);
  });
});

describeWithRabbit('the embedded Mirror on RabbitMQ (RPC and job queue)', why, () => {
  it('runs a sweep dispatched over nameko RPC to the end, jobs queued on the broker', async () => {
    const exchange2 = `${exchange}_b`;
    const jobs = `mirror-jobs-t-${randomBytes(6).toString('hex')}`;
    const rpc = await createAmqpRpc({ url: RABBIT_URL, exchange: exchange2 });
    const caller = await createAmqpRpc({ url: RABBIT_URL, exchange: exchange2, callTimeoutMs: 10_000 });
    const queue = await createAmqpJobQueue({ url: RABBIT_URL, queue: jobs, consume: true, prefetch: 2 });
    const workdir = await scratchDir('mirror-amqp-embedded-');
    const config = loadConfig({ env: {}, flags: { workdir, rid: String(rid), autorun: 'true', slots: '2' } });
    const mirror = await createEmbedded(config, { rpc, queue });
    try {
      await mirror.start();
      const c = (await mirror.hub.calcPackages.add({ dir: HEAT2D })).id;
      const p = (await mirror.hub.projects.createFromDirectory('plate', PLATE)).project.id;
      const [code, ids] = (await caller.call('jobdispatch', 'do', { p_id: p, c_id: c })) as [
        number,
        number[],
      ];
      expect(code).toBe(0);
      for (let i = 0; i < 600; i++) {
        const states = await Promise.all(ids.map(async (id) => (await mirror.hub.store.getJob(id))?.state));
        if (states.every((s) => s === 'finished')) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const final = await Promise.all(ids.map(async (id) => (await mirror.hub.store.getJob(id))?.state));
      expect(final).toEqual(['finished', 'finished', 'finished', 'finished']);
      const [, data] = (await caller.call('jobgetdata', 'do', { job_id: ids[0] ?? 0 })) as [
        number,
        { result: Record<string, string> },
      ];
      expect(Number(data.result['Tmax'])).toBeGreaterThan(20);
      expect(await caller.call('job', 'getrid', { job_id: ids[3] ?? 0 })).toEqual([0, rid]);
    } finally {
      await mirror.stop();
      await queue.close();
      await caller.close();
      await rpc.close();
      const connection = await connect(RABBIT_URL);
      const channel = await connection.createChannel();
      await channel.deleteQueue(jobs);
      for (const name of serviceQueues(rid)) {
        await channel.deleteQueue(name);
      }
      await channel.deleteExchange(exchange2);
      await connection.close();
    }
  });
});

describeWithRabbit('a Python client speaking nameko’s protocol on kombu', why ?? kombuMissing, () => {
  it('calls every seed verb through the lifecycle and gets the documented replies and errors', async () => {
    const exchange3 = `${exchange}_py`;
    const rpc = await createAmqpRpc({ url: RABBIT_URL, exchange: exchange3 });
    const workdir = await scratchDir('mirror-amqp-python-');
    const config = loadConfig({ env: {}, flags: { workdir, rid: '5', autorun: 'false' } });
    const mirror = await createEmbedded(config, { rpc });
    /** Runs calls through the Python client (a subprocess: this process must stay free to answer). */
    const python = (...calls: PythonCall[]) => pythonCalls(RABBIT_URL, exchange3, calls);
    const state = async (id: number) => (await mirror.hub.store.getJob(id))?.state;
    const waitFor = async (id: number, wanted: string) => {
      for (let i = 0; i < 600 && (await state(id)) !== wanted; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(await state(id)).toBe(wanted);
    };
    try {
      await mirror.start();
      await mirror.hub.calcPackages.add({ dir: HEAT2D });
      await mirror.hub.projects.createFromDirectory('plate', PLATE);
      expect(
        await python({
          service: 'jobdispatch',
          method: 'do',
          args: [],
          kwargs: { p_id: 1, c_id: 1, para_name: 'para.xml' },
        }),
      ).toEqual([{ result: [0, [1, 2, 3, 4]] }]);
      await waitFor(1, 'assigned');
      expect(
        await python(
          { service: 'job', method: 'getrid', kwargs: { job_id: 1 } },
          { service: 'jobdirbuild_5', method: 'do', kwargs: { job_id: 1, force: 0 } },
          { service: 'jobfilebuild_5', method: 'do', kwargs: { job_id: 1 } },
          { service: 'jobrun_5', method: 'do', kwargs: { job_id: 1, step: 'all' } },
        ),
      ).toEqual([{ result: [0, 5] }, { result: [0, []] }, { result: [0, []] }, { result: [0, []] }]);
      await waitFor(1, 'finished');
      const [monitor, recovery, data, kill, del] = (await python(
        { service: 'jobprocessmonitor_5', method: 'do', kwargs: { job_id: 1 } },
        { service: 'jobresultrecovery_5', method: 'do', kwargs: { job_id: 1 } },
        { service: 'jobgetdata', method: 'do', args: [1] },
        { service: 'jobkill_5', method: 'do', kwargs: { job_id: 1 } },
        { service: 'jobdelete_5', method: 'do', kwargs: { job_id: 1, force: 1 } },
      )) as { result: [number, unknown] }[];
      expect([monitor, recovery]).toEqual([{ result: [0, []] }, { result: [0, []] }]);
      expect(data?.result[0]).toBe(0);
      expect(Object.keys(data?.result[1] as object)).toEqual(['process', 'result']);
      expect(kill).toEqual({ result: [-1, 'job not running , jobid : 1'] });
      expect(del).toEqual({ result: [0, []] });
      expect(
        await python(
          { service: 'jobgetdata', method: 'do', kwargs: { job_id: 1 } },
          { service: 'jobdispatch', method: 'nosuch', kwargs: { a: 1 } },
          { service: 'job', method: 'getrid', kwargs: { job_id: 2, bogus: 1 } },
          { service: 'jobrun_6', method: 'do', kwargs: { job_id: 2 } },
        ),
      ).toEqual([
        { result: [-1, 'job is not existed , job : 1'] },
        { raised: 'MethodNotFound', args: ['nosuch'] },
        { raised: 'IncorrectSignature', args: ['getrid() unknown argument bogus'] },
        { raised: 'UnknownService', args: ['jobrun_6'] },
      ]);
    } finally {
      await mirror.stop();
      await rpc.close();
      const connection = await connect(RABBIT_URL);
      const channel = await connection.createChannel();
      for (const name of serviceQueues(5)) {
        await channel.deleteQueue(name);
      }
      await channel.deleteExchange(exchange3);
      await connection.close();
    }
  });
});
