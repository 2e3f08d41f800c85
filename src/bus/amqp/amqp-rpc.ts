import type { Rpc } from '../rpc.js';
import { openReconnecting } from './reconnecting-connection.js';
import { createRpcClient } from './rpc-client.js';
import { createRpcServer } from './rpc-server.js';
import type { RpcSession } from './rpc-session.js';

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

/**
 * RPC over RabbitMQ speaking nameko's protocol, so Python `ClusterRpcProxy` scripts call
 * Mirror unchanged: the serving side (`rpc-server.ts`) and the calling side
 * (`rpc-client.ts`) on one reconnecting connection. After a lost connection everything
 * is declared again on the next one: the exchange, the reply queue (same routing key, so
 * late replies still arrive) and exactly the services served at that moment.
 */
export async function createAmqpRpc(options: AmqpRpcOptions): Promise<AmqpRpc> {
  const { exchange } = options;
  const server = createRpcServer(exchange);
  const client = createRpcClient({
    exchange,
    callTimeoutMs: options.callTimeoutMs ?? 30_000,
    ready: (signal) => link.ready(Number.POSITIVE_INFINITY, signal),
  });
  const link = await openReconnecting<RpcSession>({
    url: options.url,
    name: 'rpc',
    ...(options.log ? { log: options.log } : {}),
    async setup(l) {
      const consumer = await l.createChannel();
      const publisher = await l.createConfirmChannel();
      await consumer.prefetch(options.prefetch ?? 10);
      await consumer.assertExchange(exchange, 'topic', { durable: true, autoDelete: false });
      await client.setup(l, { link: l, consumer, publisher });
      const session: RpcSession = { link: l, consumer, publisher, bound: new Map(), sync: Promise.resolve() };
      await server.reconcile(session);
      return session;
    },
    // What was served or unserved while `setup` ran.
    onConnected: (session) => void server.reconcile(session).catch(() => {}),
  });

  let closing: Promise<void> | undefined;
  const rpc: AmqpRpc = {
    serve: (service) => server.serve(service, () => link.current()),
    unserve: (name) => server.unserve(name, link.current()),
    call: (service, method, kwargs, source = 'json') => client.call(service, method, kwargs, source),
    close() {
      // A second close waits for the first.
      closing ??= (async () => {
        for (const name of server.names()) await rpc.unserve(name);
        client.failAll();
        await link.close();
      })();
      return closing;
    },
  };
  return rpc;
}
