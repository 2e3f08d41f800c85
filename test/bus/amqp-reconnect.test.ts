// Dropped connections, without stopping the shared broker: the RPC and the job queue
// under test reach RabbitMQ through a proxy whose link the test cuts and restores.
import { randomBytes } from 'node:crypto';
import { connect } from 'amqplib';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  createAmqpJobQueue,
  createAmqpRpc,
  type AmqpJobQueue,
  type AmqpJobQueueOptions,
  type AmqpRpc,
  type AmqpRpcOptions,
} from '../../src/bus/index.js';
import { ok, type ServiceDefinition } from '../../src/core/index.js';
import { startBrokerProxy, type BrokerProxy } from './broker-proxy.js';
import { describeWithRabbit, RABBIT_URL, rabbitUnavailable } from '../support/rabbit.js';

const why = await rabbitUnavailable();
const tag = randomBytes(6).toString('hex');
const exchange = `mirror_t_${tag}`;
const queues: string[] = [];
const closers: (() => Promise<void>)[] = [];
let proxy: BrokerProxy;

beforeAll(async () => {
  if (why === undefined) proxy = await startBrokerProxy();
});

// A failed test must not leave the link cut for the next one.
afterEach(() => proxy?.restore());

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  if (why !== undefined) return;
  await proxy.close();
  const connection = await connect(RABBIT_URL);
  const channel = await connection.createChannel();
  for (const queue of queues) await channel.deleteQueue(queue);
  await channel.deleteExchange(exchange);
  await connection.close();
});

/** An RPC on the exchange of this file, through the proxy or straight to the broker. */
async function rpc(via: 'proxy' | 'direct', more: Partial<AmqpRpcOptions> = {}): Promise<AmqpRpc> {
  const url = via === 'proxy' ? proxy.url : RABBIT_URL;
  const made = await createAmqpRpc({ url, exchange, callTimeoutMs: 10_000, ...more });
  closers.push(() => made.close());
  return made;
}

/** A job queue of this file's own, through the proxy or straight to the broker. */
async function jobQueue(
  via: 'proxy' | 'direct',
  queue: string,
  more: Partial<AmqpJobQueueOptions> = {},
): Promise<AmqpJobQueue> {
  const url = via === 'proxy' ? proxy.url : RABBIT_URL;
  const made = await createAmqpJobQueue({ url, queue, consume: false, ...more });
  closers.push(() => made.close());
  return made;
}

/** A service of this file: `echo(x)` answers `[0, x]`, after `gate` resolves when given. */
function echo(name: string, gate?: () => Promise<void>): ServiceDefinition {
  queues.push(`rpc-${name}`);
  return {
    name,
    methods: {
      echo: {
        params: [{ name: 'x', type: 'id' }],
        async call({ x }) {
          await gate?.();
          return ok(x);
        },
      },
    },
  };
}

/** Polls until `probe` holds, or fails after `ms`. */
async function until(probe: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Cuts the proxy and waits until `lines` (a connection's log) report the loss. */
async function cutAndNotice(lines: string[]): Promise<void> {
  const before = lines.filter((l) => l.includes('connection lost')).length;
  proxy.cut();
  await until(() => lines.filter((l) => l.includes('connection lost')).length > before, 'the loss noticed');
}

/** A promise and its resolver, to hold a handler until the test lets it go. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describeWithRabbit('an AMQP connection that drops and comes back', why, () => {
  it('serves again after reconnecting, with exactly the services served now bound', async () => {
    const lines: string[] = [];
    const server = await rpc('proxy', { log: (line) => lines.push(line) });
    const client = await rpc('direct');
    const kept = echo(`rc_${tag}_kept`);
    const dropped = echo(`rc_${tag}_dropped`);
    const added = echo(`rc_${tag}_added`);
    await server.serve(kept);
    await server.serve(dropped);
    expect(await client.call(kept.name, 'echo', { x: 1 })).toEqual([0, 1]);

    await cutAndNotice(lines);
    // Served queues and bindings are durable: this call waits in rpc-kept for the server.
    const during = client.call(kept.name, 'echo', { x: 2 });
    await server.unserve(dropped.name);
    await server.serve(added);
    proxy.restore();
    expect(await during).toEqual([0, 2]);
    await until(() => lines.some((l) => l === 'rpc: reconnected'), 'the reconnection');

    expect(await client.call(kept.name, 'echo', { x: 3 })).toEqual([0, 3]);
    expect(await client.call(added.name, 'echo', { x: 4 })).toEqual([0, 4]);
    expect(await client.call(dropped.name, 'echo', { x: 5 })).toEqual([
      -1,
      `unknown service ${dropped.name}`,
    ]);
    expect(lines[0]).toMatch(/^rpc: broker connection lost \(.+\), reconnecting in \d+ ms$/);
  });

  it('declares a served queue again when the broker deletes it', async () => {
    const lines: string[] = [];
    const server = await rpc('direct', { log: (line) => lines.push(line) });
    const client = await rpc('direct');
    const service = echo(`rc_${tag}_deleted`);
    await server.serve(service);
    const raw = await connect(RABBIT_URL);
    const channel = await raw.createChannel();
    await channel.deleteQueue(`rpc-${service.name}`);
    await raw.close();
    await until(() => lines.includes('rpc: reconnected'), 'the reconnection');
    expect(await client.call(service.name, 'echo', { x: 6 })).toEqual([0, 6]);
  });

  it('makes a call wait for its connection, within the call timeout, naming the call when it expires', async () => {
    const lines: string[] = [];
    const server = await rpc('direct');
    const client = await rpc('proxy', { callTimeoutMs: 1500, log: (l) => lines.push(l) });
    const service = echo(`rc_${tag}_caller`);
    await server.serve(service);
    expect(await client.call(service.name, 'echo', { x: 1 })).toEqual([0, 1]);

    await cutAndNotice(lines);
    const waiting = client.call(service.name, 'echo', { x: 2 });
    setTimeout(() => proxy.restore(), 300);
    expect(await waiting).toEqual([0, 2]);

    await cutAndNotice(lines);
    const started = Date.now();
    expect(await client.call(service.name, 'echo', { x: 3 })).toEqual([
      -1,
      `no reply to ${service.name}.echo within 1.5 s`,
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    proxy.restore();
  });

  it('times out a call whose reply was sent while its reply queue was gone, and receives a late one', async () => {
    const server = await rpc('direct');
    const client = await rpc('proxy', { callTimeoutMs: 3000 });
    let gate = deferred();
    const service = echo(`rc_${tag}_slow`, () => gate.promise);
    await server.serve(service);

    // Answered while the caller is away: its reply queue is gone, the reply lost.
    const lost = client.call(service.name, 'echo', { x: 1 });
    await new Promise((r) => setTimeout(r, 200));
    proxy.cut();
    gate.resolve();
    await new Promise((r) => setTimeout(r, 300));
    proxy.restore();
    expect(await lost).toEqual([-1, `no reply to ${service.name}.echo within 3 s`]);

    // Answered after the caller is back: the new reply queue has the same key.
    gate = deferred();
    const late = client.call(service.name, 'echo', { x: 2 });
    await new Promise((r) => setTimeout(r, 200));
    proxy.cut();
    await new Promise((r) => setTimeout(r, 100));
    proxy.restore();
    await new Promise((r) => setTimeout(r, 800));
    gate.resolve();
    expect(await late).toEqual([0, 2]);
  });

  it('answers a request redelivered after a drop from the first run, not by running it again', async () => {
    const lines: string[] = [];
    const server = await rpc('proxy', { log: (l) => lines.push(l) });
    const client = await rpc('direct');
    const gate = deferred();
    let runs = 0;
    const service = echo(`rc_${tag}_once`, () => (runs++, gate.promise));
    await server.serve(service);

    const call = client.call(service.name, 'echo', { x: 1 });
    await until(() => runs === 1, 'the request running');
    // Its delivery dies with the connection; the broker delivers it again on the next.
    await cutAndNotice(lines);
    proxy.restore();
    await until(() => lines.includes('rpc: reconnected'), 'the reconnection');
    await new Promise((r) => setTimeout(r, 200));
    gate.resolve();
    expect(await call).toEqual([0, 1]);
    expect(runs).toBe(1);
  });

  it('drops what a consumer held when its connection goes, and gets it delivered again', async () => {
    const name = `mirror-jobs-t-${tag}-held`;
    queues.push(name);
    const lines: string[] = [];
    const hub = await jobQueue('direct', name);
    const agent = await jobQueue('proxy', name, { consume: true, prefetch: 3, log: (l) => lines.push(l) });
    await hub.enqueue([1, 2, 3, 4, 5]);
    await until(async () => (await agent.size()) === 3, 'three held');

    proxy.cut();
    await until(async () => (await agent.size()) === 0, 'the held ids dropped');
    expect(await agent.take(3)).toEqual([]);
    await hub.enqueue([6]);
    proxy.restore();

    const got: number[] = [];
    await until(async () => (got.push(...(await agent.take(2))), got.length >= 6), 'all six ids');
    expect(got.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(lines).toContain(`job queue ${name}: reconnected`);
  });

  it('makes enqueue wait for its connection, then refuse clearly; an unconfirmed one rejects', async () => {
    const name = `mirror-jobs-t-${tag}-enqueue`;
    queues.push(name);
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    const hub = await jobQueue('proxy', name, { log });
    const impatient = await jobQueue('proxy', name, { enqueueTimeoutMs: 800, log });
    const agent = await jobQueue('direct', name, { consume: true, prefetch: 10 });

    await cutAndNotice(lines);
    await until(() => lines.filter((l) => l.includes('connection lost')).length === 2, 'both losses');
    const started = Date.now();
    await expect(impatient.enqueue([7, 8])).rejects.toThrow(
      `job queue ${name}: job ids 7, 8 not enqueued: job queue ${name}: no broker connection within 800 ms`,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(750);
    const waiting = hub.enqueue([9]);
    proxy.restore();
    await waiting;
    await until(async () => (await agent.size()) === 1, 'id 9 delivered');
    expect(await agent.take(5)).toEqual([9]);

    // Cut between the publish and its confirm: the enqueue fails, it is never "sent".
    const unconfirmed = hub.enqueue([10]);
    proxy.cut();
    await expect(unconfirmed).rejects.toThrow(`job queue ${name}: job ids 10 not confirmed by the broker`);
  });

  it('retries with a doubling, jittered delay while the broker stays away', async () => {
    const name = `mirror-jobs-t-${tag}-backoff`;
    queues.push(name);
    const lines: string[] = [];
    await jobQueue('proxy', name, { consume: true, log: (l) => lines.push(l) });
    await cutAndNotice(lines);
    await until(() => lines.length >= 5, 'four failed attempts');
    proxy.restore();
    await until(() => lines.at(-1) === `job queue ${name}: reconnected`, 'the reconnection');
    const delays = lines.slice(0, 5).map((l) => Number(/reconnecting in (\d+) ms$/.exec(l)?.[1]));
    // The n-th delay is drawn from [½, 1] × 100 ms × 2^n (capped at 5 s).
    for (const [n, delay] of delays.entries()) {
      expect(delay).toBeGreaterThanOrEqual(50 * 2 ** n);
      expect(delay).toBeLessThanOrEqual(100 * 2 ** n);
    }
  });

  it('stops reconnecting on close, leaving no connection or timer behind', async () => {
    // A proxy of its own, so that only these two connections go through it.
    const own = await startBrokerProxy();
    closers.push(() => own.close());
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    const server = await createAmqpRpc({ url: own.url, exchange, log });
    const name = `mirror-jobs-t-${tag}-closed`;
    queues.push(name);
    const agent = await createAmqpJobQueue({ url: own.url, queue: name, consume: true, log });
    expect(own.open()).toBe(2);
    own.cut();
    await until(() => lines.filter((l) => l.includes('connection lost')).length === 2, 'both losses');
    const pending = server.call(`rc_${tag}_nobody`, 'echo', { x: 1 });
    await Promise.all([server.close(), agent.close(), server.close()]);
    expect(await pending).toEqual([-1, 'no reply to a call within 0 s']);
    own.restore();
    await new Promise((r) => setTimeout(r, 500));
    expect(own.open()).toBe(0);
    expect(lines.filter((l) => l.endsWith('reconnected'))).toEqual([]);
  });
});
