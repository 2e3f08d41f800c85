import type { ChannelModel, ConsumeMessage } from 'amqplib';
import type { ServiceDefinition } from '../../core/index.js';
import { answerRequest, sourceOf, type ReplyBody } from './nameko-bodies.js';
import type { RpcSession } from './rpc-session.js';

/** How many recent requests' reply bodies are kept to answer a redelivery without rerunning it. */
const ANSWERED_KEPT = 1000;

/**
 * The serving side of nameko's RPC: services are `rpc-<service>` queues bound
 * `<service>.*` on the topic exchange while they are served (unbound when not, so a call
 * fails at once as UnknownService); replies go to the exchange under the caller's
 * `reply_to`, with its correlation id, acknowledged after the reply's confirm.
 * `reconcile` makes a connection's bindings match what is served (after a lost
 * connection, on the next one: exactly the services served at that moment).
 */
export function createRpcServer(exchange: string) {
  const served = new Map<string, ServiceDefinition>();
  /** Services unserved whose (durable) binding may still be on the broker. */
  const stale = new Set<string>();
  const answered = new Map<string, Promise<ReplyBody>>();

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
  const answer = async (
    session: RpcSession,
    name: string,
    fallback: ServiceDefinition,
    msg: ConsumeMessage,
  ) => {
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
  const reconcile = (session: RpcSession): Promise<void> => {
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

  return {
    reconcile,
    /** Serves `service` from now on, on the live connection if there is one (else the next one binds it). */
    async serve(service: ServiceDefinition, current: () => RpcSession | undefined): Promise<void> {
      if (served.has(service.name)) throw new Error(`service ${service.name} is already served`);
      served.set(service.name, service);
      const session = current();
      if (!session) return;
      try {
        await reconcile(session);
      } catch (err) {
        if (!refused(err) && current() !== session) return;
        served.delete(service.name);
        throw err;
      }
    },
    /** Stops serving `name`; if the connection is gone, the next one removes the binding. */
    async unserve(name: string, session: RpcSession | undefined): Promise<void> {
      if (!served.delete(name)) return;
      stale.add(name);
      if (session) await reconcile(session).catch(() => {});
    },
    /** The names of the services served now. */
    names: (): string[] => [...served.keys()],
  };
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
