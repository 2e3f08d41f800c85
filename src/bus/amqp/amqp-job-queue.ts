import { connect, type ConsumeMessage } from 'amqplib';
import type { JobQueue } from '../job-queue.js';

export interface AmqpJobQueueOptions {
  readonly url: string;
  /** The durable queue of job ids; default `mirror-jobs`. */
  readonly queue?: string;
  /** Messages delivered to this consumer before it takes them: the agent's slots. */
  readonly prefetch?: number;
  /** Consume (an agent) or only publish (a hub). */
  readonly consume: boolean;
}

export interface AmqpJobQueue extends JobQueue {
  close(): Promise<void>;
}

/**
 * The job queue on RabbitMQ: dispatch publishes job ids as persistent messages (with
 * confirms) to a durable queue; an agent holds up to `prefetch` deliveries and acks each
 * one when it takes it — the claim itself is the store's atomic update, so a message
 * redelivered after a crash can never run a job twice, and no message stays unacked for
 * the length of a step (RabbitMQ's consumer_timeout would close the channel).
 */
export async function createAmqpJobQueue(options: AmqpJobQueueOptions): Promise<AmqpJobQueue> {
  const name = options.queue ?? 'mirror-jobs';
  const connection = await connect(options.url, { noDelay: true });
  const channel = await connection.createConfirmChannel();
  await channel.assertQueue(name, { durable: true, autoDelete: false, exclusive: false });
  const delivered: ConsumeMessage[] = [];
  const listeners = new Set<() => void>();
  if (options.consume) {
    await channel.prefetch(Math.max(1, options.prefetch ?? 1));
    await channel.consume(
      name,
      (msg) => {
        if (!msg) return;
        delivered.push(msg);
        for (const listener of listeners) queueMicrotask(listener);
      },
      { noAck: false },
    );
  }
  let closed = false;
  return {
    durable: true,
    async enqueue(jobIds) {
      for (const id of jobIds) {
        channel.sendToQueue(name, Buffer.from(String(id)), { persistent: true, contentType: 'text/plain' });
      }
      await channel.waitForConfirms();
    },
    take(max) {
      const taken = delivered.splice(0, Math.max(0, max));
      for (const msg of taken) channel.ack(msg);
      return Promise.resolve(
        taken.map((m) => Number(m.content.toString())).filter((n) => Number.isSafeInteger(n) && n > 0),
      );
    },
    size: () => Promise.resolve(delivered.length),
    onEnqueue(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      // What was delivered but not taken goes back to the queue for another agent.
      await channel.close().catch(() => {});
      await connection.close().catch(() => {});
    },
  };
}
