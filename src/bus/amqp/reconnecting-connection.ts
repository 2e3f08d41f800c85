import { connect, type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';

/**
 * What `setup` gets for one connection. Channels made through it are watched: a channel
 * the broker closes (a 404, a consumer_timeout) counts as losing the connection.
 */
export interface Link {
  readonly connection: ChannelModel;
  createChannel(): Promise<Channel>;
  createConfirmChannel(): Promise<ConfirmChannel>;
  /** Gives this connection up (e.g. the broker cancelled a consumer) and reconnects. */
  drop(reason: Error): void;
}

export interface ReconnectingOptions<S> {
  readonly url: string;
  /** Who is connecting, in log lines and errors: `rpc`, `job queue mirror-jobs`. */
  readonly name: string;
  /**
   * Builds a session on a fresh connection: channels, exchange, queues, consumers. Runs
   * for the first connection and again after every loss; if it rejects, the connection
   * is closed and the next attempt follows the backoff.
   */
  readonly setup: (link: Link) => Promise<S>;
  /** Called synchronously when a session becomes the live one (after `setup`). */
  readonly onConnected?: (session: S) => void;
  /** Receives "connection lost, reconnecting in N ms" and "reconnected" lines. */
  readonly log?: (line: string) => void;
  /** First reconnect delay, ms, doubling up to `maxDelayMs`; each draw is jittered to [½, 1]×. Default 100. */
  readonly minDelayMs?: number;
  /** The backoff's cap, ms. Default 5000. */
  readonly maxDelayMs?: number;
}

export interface ReconnectingConnection<S> {
  /** The live session, or undefined while reconnecting (or after `close`). */
  current(): S | undefined;
  /**
   * The live session, waiting for the next one while reconnecting. Rejects after
   * `timeoutMs`, when `signal` aborts, or when the connection is closed.
   */
  ready(timeoutMs: number, signal?: AbortSignal): Promise<S>;
  /** Stops reconnecting, closes the connection and fails the waiters. Idempotent. */
  close(): Promise<void>;
}

/** The broker could not be reached in time, or the connection was closed while waiting. */
export class BrokerUnavailableError extends Error {
  override readonly name = 'BrokerUnavailableError';
}

/** How long closing a connection waits for the broker's close-ok before giving up on it, ms. */
const CLOSE_WAIT_MS = 5000;

interface Live<S> {
  readonly session: S;
  readonly connection: ChannelModel;
}

interface Waiter<S> {
  readonly resolve: (session: S) => void;
  readonly reject: (err: Error) => void;
}

/**
 * One AMQP connection that comes back: on a lost connection (or a channel closed by the
 * broker) it reconnects with jittered exponential backoff and runs `setup` again, so its
 * users re-declare their topology and resume consuming. The first connection is made
 * before this resolves, and its failure rejects (a wrong URL should not retry forever).
 */
export async function openReconnecting<S>(
  options: ReconnectingOptions<S>,
): Promise<ReconnectingConnection<S>> {
  const { name } = options;
  const log = options.log ?? (() => {});
  const minDelayMs = options.minDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  let live: Live<S> | undefined;
  let closed = false;
  let shutdown: Promise<void> | undefined;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt: Promise<void> | undefined;
  const waiters = new Set<Waiter<S>>();
  const closing = new Set<Promise<void>>();

  /** Closes a connection in the background, remembered so `close` can wait for it. */
  const discard = (connection: ChannelModel) => {
    // Not at once: a loss is reported while amqplib is still closing the connection
    // itself, and a close() begun then would wait forever for the broker's close-ok.
    const done = new Promise<void>((resolve) => queueMicrotask(resolve)).then(() =>
      closeConnection(connection),
    );
    closing.add(done);
    void done.finally(() => closing.delete(done));
  };

  /** Connects, runs `setup` and makes the session live; rejects (connection closed) on failure. */
  async function establish(): Promise<void> {
    const connection = await connect(options.url, { noDelay: true, timeout: 10_000 });
    let lostReason: Error | undefined;
    const down = (reason: Error) => {
      if (lostReason) return;
      lostReason = reason;
      if (live?.connection === connection) lose(live, reason);
    };
    const watch = <C extends Channel>(channel: C): C => {
      channel.on('error', (err: Error) => down(err));
      channel.on('close', () => down(new Error('channel closed')));
      return channel;
    };
    connection.on('error', (err: Error) => down(err));
    connection.on('close', (err?: Error) => down(err ?? new Error('connection closed')));
    let session: S;
    try {
      session = await options.setup({
        connection,
        createChannel: async () => watch(await connection.createChannel()),
        createConfirmChannel: async () => watch(await connection.createConfirmChannel()),
        drop: down,
      });
      if (lostReason) throw lostReason;
      if (closed) throw new BrokerUnavailableError(`${name} is closed`);
    } catch (err) {
      discard(connection);
      throw err;
    }
    live = { session, connection };
    failures = 0;
    options.onConnected?.(session);
    for (const waiter of [...waiters]) waiter.resolve(session);
  }

  /** Forgets a lost session and schedules the reconnection. */
  function lose(lost: Live<S>, reason: Error): void {
    if (live !== lost) return;
    live = undefined;
    // A channel error leaves the connection open: close it, the next one starts clean.
    discard(lost.connection);
    schedule(`broker connection lost (${reason.message})`);
  }

  /** Arms the timer of the next attempt, `minDelayMs` doubling per failure up to `maxDelayMs`. */
  function schedule(why: string): void {
    if (closed) return;
    const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(failures, 30));
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    failures += 1;
    log(`${name}: ${why}, reconnecting in ${delay} ms`);
    timer = setTimeout(() => {
      timer = undefined;
      attempt = establish().then(
        () => log(`${name}: reconnected`),
        (err: Error) => schedule(`reconnecting failed (${err.message})`),
      );
    }, delay);
  }

  await establish();
  return {
    current: () => live?.session,
    ready(timeoutMs, signal) {
      if (closed) return Promise.reject(new BrokerUnavailableError(`${name} is closed`));
      if (live) return Promise.resolve(live.session);
      return new Promise<S>((resolve, reject) => {
        let deadline: ReturnType<typeof setTimeout> | undefined;
        const onAbort = () => waiter.reject(new BrokerUnavailableError(`${name}: waiting aborted`));
        const stop = () => {
          waiters.delete(waiter);
          clearTimeout(deadline);
          signal?.removeEventListener('abort', onAbort);
        };
        const waiter: Waiter<S> = {
          resolve: (session) => {
            stop();
            resolve(session);
          },
          reject: (err) => {
            stop();
            reject(err);
          },
        };
        waiters.add(waiter);
        if (Number.isFinite(timeoutMs)) {
          deadline = setTimeout(
            () =>
              waiter.reject(
                new BrokerUnavailableError(`${name}: no broker connection within ${timeoutMs} ms`),
              ),
            Math.max(0, timeoutMs),
          );
        }
        if (signal?.aborted) onAbort();
        else signal?.addEventListener('abort', onAbort);
      });
    },
    close() {
      // A second close waits for the first.
      shutdown ??= (async () => {
        closed = true;
        clearTimeout(timer);
        for (const waiter of [...waiters]) waiter.reject(new BrokerUnavailableError(`${name} is closed`));
        const last = live;
        live = undefined;
        // An attempt in flight sees `closed` when it ends and closes its own connection.
        await attempt?.catch(() => {});
        if (last) await closeConnection(last.connection);
        await Promise.all([...closing]);
      })();
      return shutdown;
    },
  };
}

/**
 * Closes a connection, waiting for the broker's close-ok at most CLOSE_WAIT_MS: a broker
 * that stopped answering (its socket still open) must not hold up a shutdown forever.
 */
async function closeConnection(connection: ChannelModel): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    connection.close().catch(() => {}),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS))),
  ]);
  clearTimeout(timer);
}
