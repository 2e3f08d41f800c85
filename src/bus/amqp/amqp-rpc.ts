import { randomUUID } from 'node:crypto';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { fail, mirrorError, type Reply, type ServiceDefinition } from '../../core/index.js';
import type { Rpc } from '../rpc.js';
import { answerRequest, replyOf, SOURCE_HEADER, sourceOf, type ReplyBody } from './nameko-bodies.js';
import { openReconnecting, type Link } from './reconnecting-connection.js';

export interface AmqpRpcOptions {
  /** `amqp://user:pass@host:port/vhost`. */
  readonly url: string;
  /** The topic exchange (the original's `rpc_exchange`, `mirror_com`). */
  readonly exchange: string;
  /** Unacknowledged requests per served service at once (nameko's max_workers, 10). */
  readonly prefetch?: number;
  /**
   * How long `call` waits for a reply, ms, including any wait for a lost broker
   * connection to come back. Default 30 s.
   */
  readonly callTimeoutMs?: number;
  /** Receives connection-lost and reconnected lines. */
  readonly log?: (line: string) => void;
}

export interface AmqpRpc extends Rpc {
  /** Stops serving, then closes the channels and the connection. Idempotent. */
  close(): Promise<void>;
}

interface Pending {
  readonly service: string;
  readonly method: string;
  readonly resolve: (reply: Reply<unknown>) => void;
  readonly timer: ReturnType<typeof setTimeout>;
  /** Aborted when the call settles, ending its wait for a connection. */
  readonly settled: AbortController;
}

/** One connection's channels, and the services bound on it. */
interface Session {
  readonly link: Link;
  readonly consumer: Channel;
  readonly publisher: ConfirmChannel;
  /** Consumer tags of the services consumed on this connection, by service name. */
  readonly bound: Map<string, string>;
  /** The tail of this connection's `reconcile` runs, which go one at a time. */
  sync: Promise<void>;
}

/** How many recent requests' reply bodies are kept to answer a redelivery without rerunning it. */
const ANSWERED_KEPT = 1000;

/**
 * RPC over RabbitMQ speaking nameko's protocol, so Python `ClusterRpcProxy` scripts call
 * Mirror unchanged: services are `rpc-<service>` queues bound `<service>.*` on the topic
 * exchange while they are served (unbound when not, so a call fails at once as
 * UnknownService); replies go to the exchange under the caller's `reply_to`, with its
 * correlation id, acknowledged after the reply's confirm. `call` is the same protocol's
 * client side. After a lost connection everything is declared again on the next one:
 * the exchange, the reply queue (same routing key, so late replies still arrive) and
 * exactly the services served at that moment.
 */
export async function createAmqpRpc(options: AmqpRpcOptions): Promise<AmqpRpc> {
  const { exchange } = options;
  const served = new Map<string, ServiceDefinition>();
  /** Services unserved whose (durable) binding may still be on the broker. */
  const stale = new Set<string>();
  const pending = new Map<string, Pending>();
  const answered = new Map<string, Promise<ReplyBody>>();
  const replyKey = randomUUID();

  const settle = (id: string, reply: Reply<unknown>) => {
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    clearTimeout(waiting.timer);
    waiting.settled.abort();
    waiting.resolve(reply);
  };

  /**
   * The body answering a request. A redelivered request (its first delivery died with a
   * lost connection) gets the reply already computed for its correlation id, so a
   * dispatch is not run twice.
   */
  const bodyFor = (service: ServiceDefinition, method: string, msg: ConsumeMessage): Promise<ReplyBody> => {
    const id = msg.properties.correlationId as unknown;
    const source = sourceOf(msg);
    if (typeof id !== 'string' || id === '') return answerRequest(service, method, msg.content, source);
    const key = `${service.name}.${method} ${id}`;
    const known = msg.fields.redelivered ? answered.get(key) : undefined;
    if (known) return known;
    const body = answerRequest(service, method, msg.content, source);
    answered.set(key, body);
    for (const old of answered.keys()) {
      if (answered.size <= ANSWERED_KEPT) break;
      answered.delete(old);
    }
    return body;
  };

  /** Answers one request and acknowledges it once the reply is confirmed. */
  const answer = async (session: Session, name: string, fallback: ServiceDefinition, msg: ConsumeMessage) => {
    const method = msg.fields.routingKey.slice(name.length + 1);
    const replyTo = msg.properties.replyTo as unknown;
    try {
      const body = await bodyFor(served.get(name) ?? fallback, method, msg);
      if (typeof replyTo === 'string' && replyTo !== '') {
        session.publisher.publish(exchange, replyTo, Buffer.from(JSON.stringify(body)), {
          contentType: 'application/json',
          contentEncoding: 'utf-8',
          correlationId: msg.properties.correlationId as string | undefined,
          deliveryMode: 2,
          priority: 0,
          headers: {},
        });
        await session.publisher.waitForConfirms();
      }
      session.consumer.ack(msg);
    } catch {
      // The connection went while answering: the broker delivers the request again.
    }
  };

  /**
   * Makes the connection's bindings match `served`: removes the stale ones (on the
   * consumer channel when this connection consumes them, else on a throwaway channel
   * since the queue may be gone), then declares, consumes and binds the missing ones.
   */
  const reconcile = (session: Session): Promise<void> => {
    const run = session.sync.then(async () => {
      const { consumer, bound } = session;
      for (const name of [...stale]) {
        const tag = bound.get(name);
        if (served.has(name)) {
          stale.delete(name);
        } else if (tag !== undefined) {
          bound.delete(name);
          await consumer.unbindQueue(`rpc-${name}`, exchange, `${name}.*`);
          await consumer.cancel(tag);
          stale.delete(name);
        } else {
          await unbindQuietly(session.link.connection, exchange, name);
          stale.delete(name);
        }
      }
      for (const service of [...served.values()]) {
        if (bound.has(service.name)) continue;
        const queue = `rpc-${service.name}`;
        await consumer.assertQueue(queue, { durable: true, autoDelete: false, exclusive: false });
        const { consumerTag } = await consumer.consume(
          queue,
          (msg) => {
            if (!msg) return session.link.drop(new Error(`the broker cancelled the consumer of ${queue}`));
            void answer(session, service.name, service, msg);
          },
          { noAck: false },
        );
        bound.set(service.name, consumerTag);
        await consumer.bindQueue(queue, exchange, `${service.name}.*`);
      }
    });
    session.sync = run.catch(() => {});
    return run;
  };

  const link = await openReconnecting<Session>({
    url: options.url,
    name: 'rpc',
    ...(options.log ? { log: options.log } : {}),
    async setup(l) {
      const consumer = await l.createChannel();
      const publisher = await l.createConfirmChannel();
      await consumer.prefetch(options.prefetch ?? 10);
      await consumer.assertExchange(exchange, 'topic', { durable: true, autoDelete: false });
      // The caller's side: one exclusive reply queue, bound under a uuid routing key.
      const { queue: replyQueue } = await consumer.assertQueue(`rpc.reply-mirror-${replyKey}`, {
        exclusive: true,
        autoDelete: true,
      });
      await consumer.bindQueue(replyQueue, exchange, replyKey);
      await consumer.consume(
        replyQueue,
        (msg) => {
          if (!msg) return l.drop(new Error(`the broker cancelled the consumer of ${replyQueue}`));
          settle(String(msg.properties.correlationId), replyOf(msg));
        },
        { noAck: true },
      );
      publisher.on('return', (msg: ConsumeMessage) => {
        const id = String(msg.properties.correlationId);
        const service = pending.get(id)?.service ?? msg.fields.routingKey.split('.')[0] ?? '';
        settle(id, fail(mirrorError('SERVICE_UNKNOWN', { service })));
      });
      const session: Session = { link: l, consumer, publisher, bound: new Map(), sync: Promise.resolve() };
      await reconcile(session);
      return session;
    },
    // What was served or unserved while `setup` ran.
    onConnected: (session) => void reconcile(session).catch(() => {}),
  });

  /** Publishes a call's request once there is a connection; the call's own timer bounds the wait. */
  const send = async (
    id: string,
    routingKey: string,
    content: Buffer,
    settled: AbortSignal,
    source: 'json' | 'text',
  ) => {
    for (;;) {
      let session: Session;
      try {
        session = await link.ready(Number.POSITIVE_INFINITY, settled);
      } catch {
        const call = pending.get(id);
        // Closed while waiting (a settled call needs nothing more).
        if (call) settle(id, fail(mirrorError('RPC_TIMEOUT', { call: routingKey, seconds: 0 })));
        return;
      }
      try {
        session.publisher.publish(exchange, routingKey, content, {
          mandatory: true,
          contentType: 'application/json',
          contentEncoding: 'utf-8',
          deliveryMode: 2,
          correlationId: id,
          replyTo: replyKey,
          headers: {
            'nameko.call_id_stack': [`mirror.call.${id}`],
            ...(source === 'text' ? { [SOURCE_HEADER]: 'text' } : {}),
          },
        });
        return;
      } catch (err) {
        // The channel died under us: wait for the next connection and publish there.
        session.link.drop(err as Error);
      }
    }
  };

  let closed = false;
  const rpc: AmqpRpc = {
    async serve(service) {
      if (served.has(service.name)) throw new Error(`service ${service.name} is already served`);
      served.set(service.name, service);
      // Without a connection, the next one binds it.
      const session = link.current();
      if (!session) return;
      try {
        await reconcile(session);
      } catch (err) {
        if (!refused(err) && link.current() !== session) return;
        served.delete(service.name);
        throw err;
      }
    },
    async unserve(name) {
      if (!served.delete(name)) return;
      stale.add(name);
      // If this fails the connection is gone; the next one removes the binding.
      const session = link.current();
      if (session) await reconcile(session).catch(() => {});
    },
    call(service, method, kwargs, source = 'json') {
      const correlationId = randomUUID();
      return new Promise<Reply<unknown>>((resolve) => {
        const timeoutMs = options.callTimeoutMs ?? 30_000;
        const timer = setTimeout(
          () =>
            settle(
              correlationId,
              fail(mirrorError('RPC_TIMEOUT', { call: `${service}.${method}`, seconds: timeoutMs / 1000 })),
            ),
          timeoutMs,
        );
        const settled = new AbortController();
        pending.set(correlationId, { service, method, resolve, timer, settled });
        const content = Buffer.from(JSON.stringify({ args: [], kwargs }));
        void send(correlationId, `${service}.${method}`, content, settled.signal, source);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const name of [...served.keys()]) await rpc.unserve(name);
      for (const id of [...pending.keys()])
        settle(id, fail(mirrorError('RPC_TIMEOUT', { call: 'a call', seconds: 0 })));
      await link.close();
    },
  };
  return rpc;
}

/** True for the broker refusing an operation (403, 404, 405, 406), not a lost connection. */
function refused(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 403 || code === 404 || code === 405 || code === 406;
}

/** Removes a service's binding on a throwaway channel: a missing queue (404) closes only that one. */
async function unbindQuietly(connection: ChannelModel, exchange: string, name: string): Promise<void> {
  const channel = await connection.createChannel();
  channel.on('error', () => {});
  try {
    await channel.unbindQueue(`rpc-${name}`, exchange, `${name}.*`);
  } catch {
    // No such queue: nothing is bound to it.
  } finally {
    await channel.close().catch(() => {});
  }
}
