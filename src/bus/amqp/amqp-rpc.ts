import { randomUUID } from 'node:crypto';
import { connect, type Channel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import {
  bindArgs,
  fail,
  isMirrorError,
  mirrorError,
  type Reply,
  type ServiceDefinition,
} from '../../core/index.js';
import type { Rpc } from '../rpc.js';
import {
  describeError,
  incorrectSignature,
  malformedRequest,
  methodNotFound,
  type NamekoError,
} from './nameko-errors.js';

export interface AmqpRpcOptions {
  /** `amqp://user:pass@host:port/vhost`. */
  readonly url: string;
  /** The topic exchange (the original's `rpc_exchange`, `mirror_com`). */
  readonly exchange: string;
  /** Unacknowledged requests per served service at once (nameko's max_workers, 10). */
  readonly prefetch?: number;
  /** How long `call` waits for a reply, ms. Default 30 s. */
  readonly callTimeoutMs?: number;
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
}

/**
 * RPC over RabbitMQ speaking nameko's protocol, so Python `ClusterRpcProxy` scripts call
 * Mirror unchanged: services are `rpc-<service>` queues bound `<service>.*` on the topic
 * exchange while they are served (unbound when not, so a call fails at once as
 * UnknownService); replies go to the exchange under the caller's `reply_to`, with its
 * correlation id, acknowledged after the reply's confirm. `call` is the same protocol's
 * client side.
 */
export async function createAmqpRpc(options: AmqpRpcOptions): Promise<AmqpRpc> {
  const { exchange } = options;
  const connection = await connect(options.url, { noDelay: true });
  const consumer: Channel = await connection.createChannel();
  const publisher: ConfirmChannel = await connection.createConfirmChannel();
  await consumer.prefetch(options.prefetch ?? 10);
  await consumer.assertExchange(exchange, 'topic', { durable: true, autoDelete: false });
  const served = new Map<string, string>();

  // The caller's side: one exclusive reply queue, bound under a uuid routing key.
  const replyKey = randomUUID();
  const { queue: replyQueue } = await consumer.assertQueue(`rpc.reply-mirror-${replyKey}`, {
    exclusive: true,
    autoDelete: true,
  });
  await consumer.bindQueue(replyQueue, exchange, replyKey);
  const pending = new Map<string, Pending>();
  const settle = (id: string, reply: Reply<unknown>) => {
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    clearTimeout(waiting.timer);
    waiting.resolve(reply);
  };
  await consumer.consume(
    replyQueue,
    (msg) => msg && settle(String(msg.properties.correlationId), replyOf(msg)),
    { noAck: true },
  );
  publisher.on('return', (msg: ConsumeMessage) => {
    const id = String(msg.properties.correlationId);
    const service = pending.get(id)?.service ?? msg.fields.routingKey.split('.')[0] ?? '';
    settle(id, fail(mirrorError('SERVICE_UNKNOWN', { service })));
  });

  /** Answers one request and acknowledges it once the reply is confirmed. */
  const answer = async (service: ServiceDefinition, msg: ConsumeMessage): Promise<void> => {
    const method = msg.fields.routingKey.slice(service.name.length + 1);
    const body = await handle(service, method, msg.content);
    const replyTo = msg.properties.replyTo as unknown;
    if (typeof replyTo === 'string' && replyTo !== '') {
      publisher.publish(exchange, replyTo, Buffer.from(JSON.stringify(body)), {
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        correlationId: msg.properties.correlationId as string | undefined,
        deliveryMode: 2,
        priority: 0,
        headers: {},
      });
      await publisher.waitForConfirms();
    }
    consumer.ack(msg);
  };

  let closed = false;
  const rpc: AmqpRpc = {
    async serve(service) {
      if (served.has(service.name)) throw new Error(`service ${service.name} is already served`);
      const queue = `rpc-${service.name}`;
      await consumer.assertQueue(queue, { durable: true, autoDelete: false, exclusive: false });
      const { consumerTag } = await consumer.consume(queue, (msg) => void (msg && answer(service, msg)), {
        noAck: false,
      });
      await consumer.bindQueue(queue, exchange, `${service.name}.*`);
      served.set(service.name, consumerTag);
    },
    async unserve(name) {
      const tag = served.get(name);
      if (tag === undefined) return;
      served.delete(name);
      await consumer.unbindQueue(`rpc-${name}`, exchange, `${name}.*`);
      await consumer.cancel(tag);
    },
    call(service, method, kwargs) {
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
        pending.set(correlationId, { service, method, resolve, timer });
        const content = Buffer.from(JSON.stringify({ args: [], kwargs }));
        publisher.publish(exchange, `${service}.${method}`, content, {
          mandatory: true,
          contentType: 'application/json',
          contentEncoding: 'utf-8',
          deliveryMode: 2,
          correlationId,
          replyTo: replyKey,
          headers: { 'nameko.call_id_stack': [`mirror.call.${correlationId}`] },
        });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const name of [...served.keys()]) await rpc.unserve(name);
      for (const id of [...pending.keys()])
        settle(id, fail(mirrorError('RPC_TIMEOUT', { call: 'a call', seconds: 0 })));
      await consumer.close().catch(() => {});
      await publisher.close().catch(() => {});
      await connection.close().catch(() => {});
    },
  };
  return rpc;
}

/** A request's reply body: the seed verb's `[code, value]` as `result`, or a nameko error. */
async function handle(
  service: ServiceDefinition,
  method: string,
  content: Buffer,
): Promise<{ result: unknown; error: NamekoError | null }> {
  const definition = Object.prototype.hasOwnProperty.call(service.methods, method)
    ? service.methods[method]
    : undefined;
  if (!definition) return { result: null, error: methodNotFound(method) };
  let request: { args?: unknown; kwargs?: unknown };
  try {
    request = JSON.parse(content.toString('utf8')) as typeof request;
  } catch {
    return { result: null, error: malformedRequest('Message is not JSON') };
  }
  if (!Array.isArray(request.args) || typeof request.kwargs !== 'object' || request.kwargs === null) {
    return { result: null, error: malformedRequest('Message missing `args` or `kwargs`') };
  }
  // Positional arguments fill the declared parameters in order, as Python calls do.
  const kwargs: Record<string, unknown> = { ...(request.kwargs as Record<string, unknown>) };
  const positional = request.args as unknown[];
  if (positional.length > definition.params.length) {
    return {
      result: null,
      error: incorrectSignature(
        `${method}() takes ${definition.params.length} arguments but ${positional.length} were given`,
      ),
    };
  }
  for (const [i, value] of positional.entries()) {
    const name = definition.params[i]?.name ?? '';
    if (Object.prototype.hasOwnProperty.call(kwargs, name)) {
      return {
        result: null,
        error: incorrectSignature(`${method}() got multiple values for argument '${name}'`),
      };
    }
    kwargs[name] = value;
  }
  try {
    return { result: await definition.call(bindArgs(definition.params, kwargs, 'json')), error: null };
  } catch (err) {
    if (isMirrorError(err, 'ARG_UNKNOWN') || isMirrorError(err, 'ARG_MISSING')) {
      return { result: null, error: incorrectSignature(`${method}() ${err.message}`) };
    }
    // A wrongly typed argument is the verb's own refusal, as the original answered it.
    return { result: fail(err), error: null };
  }
}

/** A Mirror caller's view of a reply: the result, or the error object in one line. */
function replyOf(msg: ConsumeMessage): Reply<unknown> {
  try {
    const body = JSON.parse(msg.content.toString('utf8')) as { result?: unknown; error?: NamekoError | null };
    if (body.error) return [-1, describeError(body.error)];
    return body.result as Reply<unknown>;
  } catch {
    return [-1, 'malformed reply'];
  }
}
