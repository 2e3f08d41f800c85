// A TCP proxy in front of RabbitMQ whose link can be cut: the client sees its broker
// vanish (sockets reset, new ones refused) while the real broker, shared with the other
// test files, keeps running. The broker sees the connection drop, as after a crash.
import { createServer, connect as tcpConnect, type AddressInfo, type Socket } from 'node:net';

export interface BrokerProxy {
  /** `amqp://guest:guest@127.0.0.1:<port>`, the proxy's address. */
  readonly url: string;
  /** Resets every connection through the proxy and refuses new ones until `restore`. */
  cut(): void;
  /** Lets connections through again. */
  restore(): void;
  /** How many client connections are open through the proxy now. */
  open(): number;
  close(): Promise<void>;
}

/** Starts a proxy to RabbitMQ at 127.0.0.1:5672 on a free local port. */
export async function startBrokerProxy(): Promise<BrokerProxy> {
  const sockets = new Set<Socket>();
  let down = false;
  const server = createServer((client) => {
    if (down) return void client.destroy();
    const upstream = tcpConnect(5672, '127.0.0.1');
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      down = false;
    },
    open: () => sockets.size / 2,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
