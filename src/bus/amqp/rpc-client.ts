import { randomUUID } from 'node:crypto';
import type { ConsumeMessage } from 'amqplib';
import { fail, mirrorError, type Reply } from '../../core/index.js';
import { replyOf, SOURCE_HEADER } from './nameko-bodies.js';
import type { Link } from './reconnecting-connection.js';
import type { RpcSession } from './rpc-session.js';

interface Pending {
  readonly service: string;
  readonly method: string;
  readonly resolve: (reply: Reply<unknown>) => void;
  readonly timer: ReturnType<typeof setTimeout>;
  /** Aborted when the call settles, ending its wait for a connection. */
  readonly settled: AbortController;
}

/**
 * The calling side of nameko's RPC: requests published to the topic exchange under
 * `<service>.<method>` (mandatory: an unbound service comes back at once as unknown),
 * replies received on one exclusive reply queue bound under a uuid routing key (the same
 * on every connection, so late replies still arrive), matched by correlation id.
 */
export function createRpcClient(options: {
  readonly exchange: string;
  /** How long a call waits for its reply, ms, including a wait for a lost connection. */
  readonly callTimeoutMs: number;
  /** The live session, waiting for the next one (until `signal` aborts). */
  readonly ready: (signal: AbortSignal) => Promise<RpcSession>;
}) {
  const { exchange } = options;
  const pending = new Map<string, Pending>();
  const replyKey = randomUUID();

  const settle = (id: string, reply: Reply<unknown>) => {
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    clearTimeout(waiting.timer);
    waiting.settled.abort();
    waiting.resolve(reply);
  };

  /** Publishes a call's request once there is a connection; the call's own timer bounds the wait. */
  const send = async (
    id: string,
    routingKey: string,
    content: Buffer,
    settled: AbortSignal,
    source: 'json' | 'text',
  ) => {
    for (;;) {
      let session: RpcSession;
      try {
        session = await options.ready(settled);
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

  return {
    /** Declares the reply queue on a fresh connection and listens for replies and returns. */
    async setup(l: Link, session: Omit<RpcSession, 'bound' | 'sync'>): Promise<void> {
      const { consumer, publisher } = session;
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
    },
    call(service: string, method: string, kwargs: unknown, source: 'json' | 'text'): Promise<Reply<unknown>> {
      const correlationId = randomUUID();
      return new Promise<Reply<unknown>>((resolve) => {
        const timeoutMs = options.callTimeoutMs;
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
    /** Ends every call still waiting (the connection is closing). */
    failAll(): void {
      for (const id of [...pending.keys()])
        settle(id, fail(mirrorError('RPC_TIMEOUT', { call: 'a call', seconds: 0 })));
    },
  };
}
