// The RPC baseline's server side: a raw amqplib request/reply responder on the broker
// URL given, nameko-style like Mirror's (durable topic exchange and queue, persistent
// reply published on a confirm channel, the request acked once the reply is confirmed),
// answering a constant `[0,1]` body. Prints `ready`; stops on SIGINT or SIGTERM.
import { connect } from 'amqplib';

const EXCHANGE = 'bench_raw_rpc';
const QUEUE = 'rpc-bench';

const url = process.argv[2];
if (url === undefined) throw new Error('usage: raw-rpc.ts <amqp url>');
const connection = await connect(url, { noDelay: true });
const consumer = await connection.createChannel();
const publisher = await connection.createConfirmChannel();
await consumer.prefetch(10);
await consumer.assertExchange(EXCHANGE, 'topic', { durable: true, autoDelete: false });
await consumer.assertQueue(QUEUE, { durable: true, autoDelete: false, exclusive: false });
await consumer.bindQueue(QUEUE, EXCHANGE, 'bench.*');
const body = Buffer.from(JSON.stringify({ result: [0, 1], error: null }));
await consumer.consume(
  QUEUE,
  (msg) => {
    if (!msg) return;
    void (async () => {
      publisher.publish(EXCHANGE, String(msg.properties.replyTo), body, {
        contentType: 'application/json',
        correlationId: msg.properties.correlationId as string | undefined,
        deliveryMode: 2,
      });
      await publisher.waitForConfirms();
      consumer.ack(msg);
    })();
  },
  { noAck: false },
);
console.log('ready');
const stop = () => void connection.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
