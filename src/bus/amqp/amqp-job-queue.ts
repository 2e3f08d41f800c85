import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { JobQueue } from '../job-queue.js';
import { openReconnecting } from './reconnecting-connection.js';

export interface AmqpJobQueueOptions {
  readonly url: string;
  /** The durable queue of job ids; default `mirror-jobs`. */
  readonly queue?: string;
  /** Messages delivered to this consumer before it takes them: the agent's slots. */
  readonly prefetch?: number;
  /** Consume (an agent) or only publish (a hub). */
  readonly consume: boolean;
  /** How long `enqueue` waits for a lost broker connection to come back, ms. Default 15 s. */
  readonly enqueueTimeoutMs?: number;
  /**
   * How long a delivery may wait untaken (every slot busy) before it is handed back to
   * the broker, ms. Must stay below RabbitMQ's `consumer_timeout` (30 min by default),
   * which otherwise closes the channel. Default 60 s.
   */
  readonly holdMs?: number;
  /** Receives connection-lost and reconnected lines. */
  readonly log?: (line: string) => void;
}

export interface AmqpJobQueue extends JobQueue {
  /** Stops reconnecting and closes the connection; untaken ids go back to the queue. Idempotent. */
  close(): Promise<void>;
}

interface Session {
  readonly channel: ConfirmChannel;
  /** Gives the connection up (and reconnects). */
  readonly drop: (reason: Error) => void;
  /** The consumer while this agent accepts ids (undefined when it does not, or only publishes). */
  consumerTag?: string;
}

interface Held {
  readonly msg: ConsumeMessage;
  readonly channel: ConfirmChannel;
  readonly since: number;
}

/**
 * The job queue on RabbitMQ: dispatch publishes job ids as persistent messages (with
 * confirms) to a durable queue; an agent holds up to `prefetch` deliveries and acks each
 * one when it takes it — the claim itself is the store's atomic update, so a message
 * redelivered after a crash can never run a job twice. An agent whose slots are all busy
 * stops consuming (`accepting(false)`: its consumer is cancelled and what it holds handed
 * back at once), so queued jobs go to the agents that can start them. A delivery left
 * untaken for `holdMs` is handed back too, so no message stays unacked for the length of
 * a step (RabbitMQ's consumer_timeout would close the channel). The connection comes back after
 * a broker restart; what was delivered but not taken is dropped with the old channel (the
 * broker requeues it).
 */
export async function createAmqpJobQueue(options: AmqpJobQueueOptions): Promise<AmqpJobQueue> {
  const name = options.queue ?? 'mirror-jobs';
  const enqueueTimeoutMs = options.enqueueTimeoutMs ?? 15_000;
  const holdMs = options.holdMs ?? 60_000;
  const delivered: Held[] = [];
  const listeners = new Set<() => void>();
  let holdTimer: ReturnType<typeof setTimeout> | undefined;
  let ready = true;

  /**
   * Hands back every delivery held and not taken (nack up to the newest of each channel,
   * requeued), so the broker keeps the ids in order; taken ones are acked already.
   */
  const handBack = () => {
    const newest = new Map<ConfirmChannel, ConsumeMessage>();
    for (const held of delivered) newest.set(held.channel, held.msg);
    delivered.length = 0;
    disarm();
    for (const [channel, msg] of newest) {
      try {
        channel.nack(msg, true, true);
      } catch {
        // The channel is gone: the broker requeues them itself.
      }
    }
  };
  /** Arms the timer that hands back deliveries held `holdMs`, if any are held. */
  const arm = () => {
    const oldest = delivered[0];
    if (holdTimer !== undefined || !oldest) return;
    holdTimer = setTimeout(
      () => {
        holdTimer = undefined;
        if (Date.now() - (delivered[0]?.since ?? 0) >= holdMs) handBack();
        arm();
      },
      Math.max(0, oldest.since + holdMs - Date.now()),
    );
  };
  function disarm() {
    clearTimeout(holdTimer);
    holdTimer = undefined;
  }
  /** Forgets the deliveries of a closed channel: their tags died with it, the broker requeued them. */
  const forget = (channel: ConfirmChannel) => {
    const kept = delivered.filter((held) => held.channel !== channel);
    delivered.splice(0, delivered.length, ...kept);
    if (delivered.length === 0) disarm();
  };

  const link = await openReconnecting<Session>({
    url: options.url,
    name: `job queue ${name}`,
    ...(options.log ? { log: options.log } : {}),
    async setup(l) {
      const channel = await l.createConfirmChannel();
      channel.on('close', () => forget(channel));
      await channel.assertQueue(name, { durable: true, autoDelete: false, exclusive: false });
      const session: Session = { channel, drop: (reason) => l.drop(reason) };
      if (options.consume) {
        await channel.prefetch(Math.max(1, options.prefetch ?? 1));
        if (ready) await consume(session);
      }
      return session;
    },
  });

  /** Starts the consumer of a session (its deliveries are held until taken). */
  async function consume(session: Session): Promise<void> {
    const { channel } = session;
    const { consumerTag } = await channel.consume(
      name,
      (msg) => {
        // No message: the broker cancelled the consumer (the queue was deleted).
        if (!msg) return session.drop(new Error(`the broker cancelled the consumer of ${name}`));
        delivered.push({ msg, channel, since: Date.now() });
        arm();
        for (const listener of listeners) queueMicrotask(listener);
      },
      { noAck: false },
    );
    session.consumerTag = consumerTag;
  }

  /**
   * Brings the live session's consumer in line with `ready`, one change at a time: stopped
   * (cancelled, then what it held handed back) or started again.
   */
  let flow: Promise<void> = Promise.resolve();
  const applyReady = () => {
    flow = flow.then(async () => {
      const session = link.current();
      if (!options.consume || session === undefined || closed) return;
      try {
        if (!ready && session.consumerTag !== undefined) {
          const tag = session.consumerTag;
          session.consumerTag = undefined;
          await session.channel.cancel(tag);
          handBack(); // after the cancel: a delivery on its way meanwhile goes back too
        } else if (ready && session.consumerTag === undefined) {
          await consume(session);
        }
      } catch {
        // The channel died meanwhile: the next session starts as `ready` says.
      }
    });
  };

  let closed = false;
  let closing: Promise<void> | undefined;
  return {
    durable: true,
    async enqueue(jobIds) {
      if (jobIds.length === 0) return;
      const ids = jobIds.join(', ');
      let session: Session;
      try {
        session = await link.ready(enqueueTimeoutMs);
      } catch (err) {
        throw new Error(`job queue ${name}: job ids ${ids} not enqueued: ${(err as Error).message}`, {
          cause: err,
        });
      }
      try {
        for (const id of jobIds) {
          session.channel.sendToQueue(name, Buffer.from(String(id)), {
            persistent: true,
            contentType: 'text/plain',
          });
        }
        await session.channel.waitForConfirms();
      } catch (err) {
        // Not confirmed (the connection dropped, or the broker refused): never "sent".
        throw new Error(
          `job queue ${name}: job ids ${ids} not confirmed by the broker: ${(err as Error).message}`,
          { cause: err },
        );
      }
    },
    take(max) {
      const taken = delivered.splice(0, Math.max(0, max));
      if (delivered.length === 0) disarm();
      for (const { msg, channel } of taken) {
        try {
          channel.ack(msg);
        } catch {
          // The channel just died: the broker redelivers the id, and a second claim is refused.
        }
      }
      return Promise.resolve(
        taken.map((h) => Number(h.msg.content.toString())).filter((n) => Number.isSafeInteger(n) && n > 0),
      );
    },
    size: () => Promise.resolve(delivered.length),
    accepting(value) {
      if (ready === value) return;
      ready = value;
      applyReady();
    },
    onEnqueue(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      // A second close waits for the first.
      closing ??= (async () => {
        closed = true;
        disarm();
        delivered.length = 0;
        await flow;
        // What was delivered but not taken goes back to the queue for another agent.
        await link.close();
      })();
      return closing;
    },
  };
}
